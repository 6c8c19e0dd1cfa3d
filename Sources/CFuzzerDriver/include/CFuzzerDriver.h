#ifndef TICKTOP_CFUZZERDRIVER_H
#define TICKTOP_CFUZZERDRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (from libclang_rt.fuzzer_no_main, linked only by Tests/Fuzz/run.sh):
/// runs the fuzzing loop with libFuzzer's command-line flags, calling `callback` per input.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif

#ifndef TICKTOP_CNCURSES_SHIM_H
#define TICKTOP_CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <ncursesw/curses.h>

/* Macros and globals do not import into Swift (or are rejected under strict
   concurrency), so each one used is wrapped once here with a tt_ prefix. */
static inline WINDOW *tt_stdscr(void) { return stdscr; }
static inline int tt_lines(void) { return LINES; }
static inline int tt_cols(void) { return COLS; }
static inline int tt_colors(void) { return COLORS; }
static inline attr_t tt_a_bold(void) { return A_BOLD; }
static inline attr_t tt_a_dim(void) { return A_DIM; }
static inline attr_t tt_a_reverse(void) { return A_REVERSE; }
static inline attr_t tt_a_underline(void) { return A_UNDERLINE; }
static inline attr_t tt_a_normal(void) { return A_NORMAL; }
static inline attr_t tt_color_pair(short n) { return COLOR_PAIR(n); }
static inline int tt_key_resize(void) { return KEY_RESIZE; }
static inline int tt_key_up(void) { return KEY_UP; }
static inline int tt_key_down(void) { return KEY_DOWN; }
static inline int tt_key_left(void) { return KEY_LEFT; }
static inline int tt_key_right(void) { return KEY_RIGHT; }
static inline int tt_key_npage(void) { return KEY_NPAGE; }
static inline int tt_key_ppage(void) { return KEY_PPAGE; }
static inline int tt_key_home(void) { return KEY_HOME; }
static inline int tt_key_end(void) { return KEY_END; }
static inline int tt_key_enter(void) { return KEY_ENTER; }
static inline int tt_key_backspace(void) { return KEY_BACKSPACE; }
static inline int tt_key_btab(void) { return KEY_BTAB; }
static inline int tt_err(void) { return ERR; }
static inline int tt_ok(void) { return OK; }

/* Writes one wide character with attributes and colour pair at (y, x). */
static inline int tt_put_cell(int y, int x, wchar_t ch, attr_t attrs, short pair) {
    cchar_t cell;
    wchar_t text[2] = { ch, L'\0' };
    if (setcchar(&cell, text, attrs, pair, NULL) != OK) { return ERR; }
    return mvwadd_wch(stdscr, y, x, &cell);
}

/* The terminal's size as the kernel knows it now (after SIGWINCH): 0, or -1 when unknown. */
static inline int tt_window_size(int *rows, int *columns) {
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_row == 0 || size.ws_col == 0) { return -1; }
    *rows = size.ws_row;
    *columns = size.ws_col;
    return 0;
}

/* From <term.h>, which is not included: its capability macros (lines, columns, ...) would clash. */
struct term;
extern int setupterm(const char *, int, int *);
extern struct term *set_curterm(struct term *);
extern int del_curterm(struct term *);

/* Looks terminal type `name` up in terminfo without starting curses (so nothing is
   printed and nothing exits): 1 when it can move the cursor (a full-screen terminal),
   2 when the entry exists but cannot (no cursor addressing), otherwise setupterm's
   error: 0 unknown or generic (like dumb), -1 no terminfo database, and -2 hardcopy. */
static inline int tt_terminal_type_status(const char *name) {
    int error = 0;
    if (setupterm(name, 1, &error) != OK) { return error == 1 ? -2 : error; }
    char *address = tigetstr("cup");
    int usable = address != NULL && address != (char *)-1;
    del_curterm(set_curterm(NULL));
    return usable ? 1 : 2;
}
#endif

print("ticktop")

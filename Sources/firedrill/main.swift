print("firedrill")

"""`python -m tracker` runs the same command as `tracker`."""

from tracker.launch import main

if __name__ == "__main__":
    main()

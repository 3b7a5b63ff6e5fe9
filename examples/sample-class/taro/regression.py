def center(x):
    return x -

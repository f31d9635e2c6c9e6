"""Training scripts for the models shipped inside the package (optional extra: `.[train]`).

Nothing here runs at run time: the package loads only the weight files these scripts write.
"""

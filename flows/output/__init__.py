"""The output folder's bookkeeping: its layout, atomic files, the manifest, the lock and the inventory of raw/."""

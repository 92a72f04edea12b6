"""Leaves two folders as a killed export would (a process id that no longer
runs): one holding only what its manifest lists, one holding a user's file
too; then prints their names relative to DIR.

Usage: stale_folders.py DIR SEQUENCE
"""
import pathlib
import shutil
import subprocess
import sys

directory, sequence = pathlib.Path(sys.argv[1]), sys.argv[2]
dead = int(subprocess.run(["sh", "-c", "echo $$"], capture_output=True, text=True).stdout)
clean = directory / f".{sequence}.cadence-tmp-{dead}-aaaaaa"
mixed = directory / f".{sequence}.cadence-tmp-{dead}-bbbbbb"
shutil.copytree(directory / sequence, clean)
shutil.copytree(directory / sequence, mixed)
(mixed / "notes.txt").write_text("mine\n")
print(clean.name)
print(mixed.name)

"""What-if for policy makers: re-run a decided wave's lottery under other parameters and compare (issue 26)."""

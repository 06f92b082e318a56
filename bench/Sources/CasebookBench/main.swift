// The benchmark program is being written; see bench/README.md.
print("casebook-bench")

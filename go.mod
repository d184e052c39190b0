module ringzero

go 1.26

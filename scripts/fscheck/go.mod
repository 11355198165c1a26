// Separate module: the file-system check needs golang.org/x/tools, which the plugin itself never links.
module github.com/containersec/container-security/scripts/fscheck

go 1.26.0

require golang.org/x/tools v0.47.0

require (
	golang.org/x/mod v0.37.0 // indirect
	golang.org/x/sync v0.21.0 // indirect
)

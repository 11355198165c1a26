package main

// forbidden says, per import path, which package-level functions count as file-system access. It mirrors the Go
// rules of grafana/plugin-validator's code-rules analyzer (pkg/analysis/passes/coderules/semgrep-rules.yaml):
// access-file-system-with-os, access-file-system-with-fs (fs.$F: every function), access-file-system-with-filepath
// and access-syscall (syscall.$F: every function). The validator's os.Readfile (sic) is os.ReadFile here, and a
// function is caught wherever it is referenced (a call, or a value such as open := os.Open), under any import name.
var forbidden = map[string]map[string]bool{
	"os": set("DirFS", "Getwd", "IsExist", "IsNotExist", "IsPermission", "Lchown", "Link", "Mkdir", "MkdirAll", "MkdirTemp",
		"ReadFile", "Readlink", "Remove", "RemoveAll", "Rename", "SameFile", "Symlink", "TempDir", "Truncate", "UserCacheDir",
		"UserConfigDir", "UserHomeDir", "WriteFile", "ReadDir", "Create", "CreateTemp", "NewFile", "Open", "OpenFile",
		"Chdir", "Chmod", "Chown", "Chtimes", "Stat", "Lstat", "CopyFS", "OpenRoot", "OpenInRoot"),
	"path/filepath": set("Walk", "WalkDir", "VolumeName", "EvalSymlinks", "Glob"),
	"io/fs":         nil, // every function
	"syscall":       nil, // every function
}

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// isForbidden tells whether pkgPath.name is a file-system function.
func isForbidden(pkgPath, name string) bool {
	names, ok := forbidden[pkgPath]
	return ok && (names == nil || names[name])
}

//go:build mage
// +build mage

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/magefile/mage/sh"

	// mage:import
	build "github.com/grafana/grafana-plugin-sdk-go/build"
)

// Default configures the default target.
var Default = build.BuildAll

// The SDK's build passes no -trimpath: without it the backend binaries carry this machine's module and source paths
// (thousands of them, a few hundred KB per binary). GOFLAGS adds it to every backend build.
func init() {
	_ = build.SetBeforeBuildCallback(func(cfg build.Config) (build.Config, error) {
		if cfg.Env == nil {
			cfg.Env = map[string]string{} // the SDK's manifest step calls back with no environment
		}
		cfg.Env["GOFLAGS"] = strings.TrimSpace(os.Getenv("GOFLAGS") + " -trimpath")
		return cfg, nil
	})
}

// cliPlatforms are the backend's platforms (npm run build:backend): the command-line validator ships for each.
var cliPlatforms = [][2]string{{"linux", "amd64"}, {"linux", "arm64"}, {"darwin", "arm64"}, {"windows", "amd64"}}

// CLI builds the containersec-rules command-line validator (cmd/containersec-rules) for the backend's platforms
// into dist/cli, static like the backend (CGO_ENABLED=0), reusing Go's build cache.
func CLI() error {
	var pkg struct {
		Version string `json:"version"`
	}
	b, err := os.ReadFile("package.json")
	if err == nil {
		err = json.Unmarshal(b, &pkg)
	}
	if err != nil || pkg.Version == "" {
		return fmt.Errorf("the CLI's version comes from package.json: %v", err)
	}
	ldflags := "-s -w -X main.version=" + pkg.Version
	for _, p := range cliPlatforms {
		out := filepath.Join("dist", "cli", fmt.Sprintf("containersec-rules_%s_%s", p[0], p[1]))
		if p[0] == "windows" {
			out += ".exe"
		}
		env := map[string]string{"GOOS": p[0], "GOARCH": p[1], "CGO_ENABLED": "0"}
		if err := sh.RunWithV(env, "go", "build", "-trimpath", "-ldflags", ldflags, "-o", out, "./cmd/containersec-rules"); err != nil {
			return err
		}
	}
	return nil
}

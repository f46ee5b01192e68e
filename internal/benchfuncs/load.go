package benchfuncs

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

// Load reads dir/manifest.json, checks it as Parse does, and reads every
// file it names (relative to dir) into the functions' Code, PropertyCode and
// KVSData. A function larger than MaxFunctionBytes is an error.
func Load(dir string) (Manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return Manifest{}, fmt.Errorf("benchfuncs: %w (Load wants the benchmark directory, e.g. testdata/bench)", err)
	}
	m, err := Parse(bytes.NewReader(b))
	if err != nil {
		return Manifest{}, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	m.Dir = dir
	for i := range m.Functions {
		f := &m.Functions[i]
		if f.Code, err = readRel(dir, f.File); err != nil {
			return Manifest{}, fmt.Errorf("benchfuncs: function %q: %w", f.Name, err)
		}
		if len(f.Code) > MaxFunctionBytes {
			return Manifest{}, fmt.Errorf("benchfuncs: function %q: %s is %d bytes, over CloudFront's %d-byte quota", f.Name, f.File, len(f.Code), MaxFunctionBytes)
		}
		if f.Property != "" {
			if f.PropertyCode, err = readRel(dir, f.Property); err != nil {
				return Manifest{}, fmt.Errorf("benchfuncs: function %q: property: %w", f.Name, err)
			}
		}
		if f.KVS != "" {
			if f.KVSData, err = readRel(dir, f.KVS); err != nil {
				return Manifest{}, fmt.Errorf("benchfuncs: function %q: kvs: %w", f.Name, err)
			}
		}
	}
	return m, nil
}

// readRel reads name, relative to dir; absolute names are refused so that a
// benchmark directory can be moved as a whole.
func readRel(dir, name string) ([]byte, error) {
	if filepath.IsAbs(name) {
		return nil, fmt.Errorf("path %q must be relative to the manifest's directory", name)
	}
	return os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
}

// Store returns the function's KeyValueStore, or nil when it has none.
func (f Function) Store() (*runtime.KVS, error) {
	if f.KVSData == nil {
		return nil, nil
	}
	kvs, err := runtime.LoadKVS(bytes.NewReader(f.KVSData))
	if err != nil {
		return nil, fmt.Errorf("benchfuncs: function %q: %s: %w", f.Name, f.KVS, err)
	}
	return kvs, nil
}

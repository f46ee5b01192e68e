package corpus

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// MaxSeedSize is the largest seed LoadSeeds accepts: the 40,960 bytes a
// TestConnectionFunction ConnectionObject may hold.
const MaxSeedSize = 40960

// LoadSeeds reads the connection objects in dir: every regular file (or
// link to one) whose name ends in ".json", in name order. Directories and
// other non-files are skipped. A seed over MaxSeedSize bytes or that is not
// valid JSON is an error naming the file.
func LoadSeeds(dir string) ([][]byte, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read seeds: %w", err)
	}
	var seeds [][]byte
	for _, de := range des {
		if !strings.HasSuffix(de.Name(), ".json") {
			continue
		}
		path := filepath.Join(dir, de.Name())
		fi, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("seed %s: %w", path, err)
		}
		if !fi.Mode().IsRegular() {
			continue
		}
		if fi.Size() > MaxSeedSize {
			return nil, fmt.Errorf("seed %s is %d bytes, over the %d bytes of a connection object: shorten it or move it out of %s", path, fi.Size(), MaxSeedSize, dir)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("seed %s: %w", path, err)
		}
		if len(data) > MaxSeedSize { // it grew since Stat
			return nil, fmt.Errorf("seed %s is over %d bytes", path, MaxSeedSize)
		}
		if !json.Valid(data) {
			return nil, fmt.Errorf("seed %s is not valid JSON: seeds are connection objects; fix it or rename it to something other than .json", path)
		}
		seeds = append(seeds, data)
	}
	return seeds, nil
}

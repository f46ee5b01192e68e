package corpus_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/corpus"
)

func TestLoadSeeds(t *testing.T) {
	mk := func(t *testing.T, files map[string]string) string {
		dir := t.TempDir()
		for name, content := range files {
			path := filepath.Join(dir, name)
			if content == "<dir>" {
				os.Mkdir(path, 0o755)
				continue
			}
			os.WriteFile(path, []byte(content), 0o644)
		}
		return dir
	}
	tests := []struct {
		files   map[string]string
		want    []string
		wantErr string
		reason  string
	}{
		{map[string]string{"b.json": `{"b":1}`, "a.json": `{"a":1}`}, []string{`{"a":1}`, `{"b":1}`}, "", "in name order"},
		{map[string]string{"a.json": `{}`, "README.md": "# seeds", "sub.json": "<dir>"}, []string{`{}`}, "", "non-JSON names and directories are skipped"},
		{map[string]string{}, nil, "", "an empty directory has no seeds"},
		{map[string]string{"big.json": `"` + strings.Repeat("x", corpus.MaxSeedSize) + `"`}, nil, "big.json is 40962 bytes, over the 40960", "over the size cap"},
		{map[string]string{"max.json": `"` + strings.Repeat("x", corpus.MaxSeedSize-2) + `"`}, []string{`"` + strings.Repeat("x", corpus.MaxSeedSize-2) + `"`}, "", "exactly at the cap"},
		{map[string]string{"bad.json": `{"a":`}, nil, "bad.json is not valid JSON", "broken JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			seeds, err := corpus.LoadSeeds(mk(t, tt.files))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("%s: err = %v, want it to mention %q", tt.reason, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", tt.reason, err)
			}
			var got []string
			for _, s := range seeds {
				got = append(got, string(s))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("%s: got %d seeds %.80q, want %.80q", tt.reason, len(got), got, tt.want)
			}
		})
	}
	if _, err := corpus.LoadSeeds(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Error("a missing directory loaded")
	}
}

func TestLoadSharedSeeds(t *testing.T) {
	const dir = "../../shared/seeds"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("shared seeds not present")
	}
	seeds, err := corpus.LoadSeeds(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(seeds) == 0 {
		t.Error("no seeds loaded from the shared seeds directory")
	}
}

package examples_test

import (
	"strings"
	"testing"

	"github.com/cffuzz/cffuzz/examples"
	"sigs.k8s.io/yaml"
)

func TestStarterConfig(t *testing.T) {
	tests := []struct {
		reason   string
		function string
		want     string
	}{
		{"no function names the starter function", "", examples.StarterFunctionFile},
		{"a plain path stays plain", "src/handler.js", "src/handler.js"},
		{"a path YAML would misread is quoted", `my "odd": fn.js`, `my "odd": fn.js`},
	}
	for _, tt := range tests {
		data := examples.StarterConfig(tt.function)
		var cfg map[string]any
		if err := yaml.Unmarshal(data, &cfg); err != nil {
			t.Fatalf("%s: the starter config is not YAML: %v\n%s", tt.reason, err, data)
		}
		if cfg["function"] != tt.want {
			t.Errorf("%s: function is %v, want %q", tt.reason, cfg["function"], tt.want)
		}
		for _, off := range []string{"kvs", "property", "metrics-addr"} {
			if _, ok := cfg[off]; ok {
				t.Errorf("%s: %s is set; the starter leaves it commented out", tt.reason, off)
			}
		}
	}
	if !strings.Contains(string(examples.StarterFunction), "function connectionHandler") {
		t.Error("the starter function has no connectionHandler")
	}
}

package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/peterbourgon/ff/v3/ffcli"
	"sigs.k8s.io/yaml"
)

// workflow is the part of a GitHub Actions workflow the test reads.
type workflow struct {
	On   map[string]any `json:"on"`
	True map[string]any `json:"true"` // YAML 1.1 reads the key on as true
	Env  map[string]string
	Jobs map[string]struct {
		Needs    any
		Strategy struct {
			Matrix map[string][]any
		}
		Steps []struct {
			Name            string
			ID              string
			Uses            string
			Run             string
			If              string
			ContinueOnError bool `json:"continue-on-error"`
			With            map[string]any
		}
	}
}

// expressions are GitHub expressions the fuzz commands use, with a value
// each could take.
func expressions(pushgateway string) map[string]string {
	return map[string]string{"matrix.shard": "1", "secrets.PUSHGATEWAY_URL": pushgateway}
}

var exprRE = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

func readWorkflow(t *testing.T) *workflow {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "examples", "github-actions-nightly.yml"))
	if err != nil {
		t.Fatal(err)
	}
	js, err := yaml.YAMLToJSONStrict(data) // strict: no duplicate keys
	if err != nil {
		t.Fatalf("the workflow is not valid YAML: %v", err)
	}
	var wf workflow
	if err := json.Unmarshal(js, &wf); err != nil {
		t.Fatalf("the workflow does not have the shape of a workflow: %v", err)
	}
	return &wf
}

// vars are the shell variables of the workflow's scripts: its env, and
// shards as "$@" (the merge step's shard directories).
func (wf *workflow) vars(shards string) map[string]string {
	v := map[string]string{"@": shards}
	for k, x := range wf.Env {
		v[k] = x
	}
	return v
}

// shellWords splits one command line as a POSIX shell would for the simple
// commands of the workflow: words, double- and single-quoted strings, $VAR
// and "$@" from vars, ${{ expressions }} from exprs; it stops at a comment
// or a control operator.
func shellWords(t *testing.T, line string, vars, exprs map[string]string) []string {
	t.Helper()
	line = exprRE.ReplaceAllStringFunc(line, func(m string) string {
		v, ok := exprs[exprRE.FindStringSubmatch(m)[1]]
		if !ok {
			t.Errorf("unknown expression %s in %q", m, line)
		}
		return v
	})
	var words []string
	var cur strings.Builder
	inWord, quote := false, rune(0)
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '\'' || r == '"':
			if quote == r {
				quote = 0
			} else if quote == 0 {
				quote, inWord = r, true
			} else {
				cur.WriteRune(r)
			}
		case r == '$' && i+1 < len(rs) && rs[i+1] == '@':
			cur.WriteString(vars["@"])
			inWord, i = true, i+1
		case r == '$' && i+1 < len(rs):
			j := i + 1
			for j < len(rs) && (rs[j] == '_' || rs[j] >= 'A' && rs[j] <= 'Z' || rs[j] >= '0' && rs[j] <= '9') {
				j++
			}
			name := string(rs[i+1 : j])
			v, ok := vars[name]
			if !ok {
				t.Errorf("$%s in %q is not set in the workflow's env", name, line)
			}
			cur.WriteString(v)
			inWord, i = true, j-1
		case quote == 0 && (r == ' ' || r == '\t'):
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case quote == 0 && !inWord && strings.ContainsRune("#;&|><", r):
			return words
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		t.Errorf("unterminated quote in %q", line)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// fuzzCommands returns the arguments of every bin/fuzz command in a run
// script, with line continuations joined.
func fuzzCommands(t *testing.T, script string, vars, exprs map[string]string) [][]string {
	t.Helper()
	var cmds [][]string
	script = strings.ReplaceAll(script, "\\\n", " ")
	for _, line := range strings.Split(script, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "bin/fuzz ") {
			continue
		}
		words := shellWords(t, strings.TrimSpace(line), vars, exprs)
		if len(words) > 0 && words[0] == "bin/fuzz" {
			cmds = append(cmds, words[1:])
		}
	}
	return cmds
}

// parseCommand parses args with the CLI's own commands and flag sets
// without running anything, and returns the command path.
func parseCommand(t *testing.T, args []string) string {
	t.Helper()
	cmd := rootCommand(io.Discard, io.Discard)
	path := []string{}
	rest := args
	for len(rest) > 0 {
		i := slices.IndexFunc(cmd.Subcommands, func(c *ffcli.Command) bool { return c.Name == rest[0] })
		if i < 0 {
			break
		}
		cmd, rest = cmd.Subcommands[i], rest[1:]
		path = append(path, cmd.Name)
	}
	for _, a := range rest {
		if name, ok := strings.CutPrefix(a, "--"); ok {
			name, _, _ = strings.Cut(name, "=")
			if cmd.FlagSet.Lookup(name) == nil {
				t.Errorf("fuzz %s has no flag --%s (in %q)", strings.Join(path, " "), name, args)
			}
		}
	}
	if err := cmd.FlagSet.Parse(rest); err != nil {
		t.Errorf("fuzz %s: %v (in %q)", strings.Join(path, " "), err, args)
	}
	return strings.Join(path, " ")
}

// TestNightlyWorkflow reads examples/github-actions-nightly.yml and checks
// that it is valid YAML with the documented shape, and that every fuzz
// command in it parses with the CLI's own flags.
func TestNightlyWorkflow(t *testing.T) {
	wf := readWorkflow(t)
	on := wf.On
	if on == nil {
		on = wf.True
	}
	for _, trigger := range []string{"schedule", "workflow_dispatch"} {
		if _, ok := on[trigger]; !ok {
			t.Errorf("the workflow has no %s trigger", trigger)
		}
	}
	for _, k := range []string{"FUNCTION", "KVS", "PROPERTY"} {
		if _, err := os.Stat(filepath.Join(repoRoot, wf.Env[k])); err != nil {
			t.Errorf("env %s: %v", k, err)
		}
	}

	uses := map[string]bool{}
	commands := map[string][][]string{}
	var summary, build, replayContinues bool
	for name, job := range wf.Jobs {
		for _, s := range job.Steps {
			action, _, _ := strings.Cut(s.Uses, "@")
			uses[action] = true
			if strings.Contains(s.Run, "summary.md") && strings.Contains(s.Run, "$GITHUB_STEP_SUMMARY") {
				summary = true
			}
			if strings.Contains(s.Run, "go build -o bin/fuzz ./cmd/fuzz") {
				build = true
			}
			for _, args := range fuzzCommands(t, s.Run, wf.vars("shards/cffuzz-corpus-1"), expressions("http://127.0.0.1:9091")) {
				path := parseCommand(t, args)
				commands[path] = append(commands[path], args)
				if path == "replay" && s.ContinueOnError {
					replayContinues = true
				}
			}
		}
		if name == "fuzz" {
			if got := job.Strategy.Matrix["shard"]; len(got) != 4 {
				t.Errorf("the fuzz job's matrix has shards %v, want 1 to 4", got)
			}
		}
	}
	for _, action := range []string{"actions/checkout", "actions/setup-go", "actions/cache/restore", "actions/cache/save",
		"github/codeql-action/upload-sarif", "actions/upload-artifact", "actions/download-artifact"} {
		if !uses[action] {
			t.Errorf("the workflow does not use %s", action)
		}
	}
	if !summary || !build || !replayContinues {
		t.Errorf("summary.md to the job summary: %v; go build -o bin/fuzz: %v; replay continues on error: %v", summary, build, replayContinues)
	}
	for _, path := range []string{"replay", "run", "corpus merge"} {
		if len(commands[path]) == 0 {
			t.Errorf("the workflow never runs fuzz %s", path)
		}
	}
	for _, args := range commands["run"] {
		joined := strings.Join(args, " ")
		for _, want := range []string{"--shard 1/4", "--duration 10m", "--corpus corpus-1", "--pushgateway http://127.0.0.1:9091", "--campaign nightly"} {
			if !strings.Contains(joined, want) {
				t.Errorf("fuzz run in the workflow lacks %q: %s", want, joined)
			}
		}
	}
}

// TestNightlyWorkflowCommands runs the workflow's fuzz commands, in order,
// as shard 1 would, in a scratch checkout: the corpus replay, a shortened
// campaign (300 cases instead of 10 minutes) that pushes its metrics to a
// stand-in Pushgateway, and the corpus merge.
func TestNightlyWorkflowCommands(t *testing.T) {
	var pushes atomic.Int32
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/metrics/job/cffuzz") {
			pushes.Add(1)
		}
		io.Copy(io.Discard, r.Body)
	}))
	defer gw.Close()

	wf := readWorkflow(t)
	dir := t.TempDir()
	if err := os.Symlink(filepath.Join(repoRoot, "examples"), filepath.Join(dir, "examples")); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"corpus", "corpus-1"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	var ran []string
	for _, job := range []string{"fuzz", "corpus"} {
		for _, s := range wf.Jobs[job].Steps {
			for _, args := range fuzzCommands(t, s.Run, wf.vars("corpus-1"), expressions(gw.URL)) {
				if i := slices.Index(args, "--duration"); i >= 0 {
					args = slices.Concat(args[:i], []string{"--cases", "300"}, args[i+2:])
				}
				r := fuzz(t, args...)
				// A campaign on a loaded machine may see a slow run as a
				// utilization finding: 1 is a verdict, not a broken command.
				if r.code != exitOK && r.code != exitFindings {
					t.Fatalf("fuzz %q: exit code %d\nstdout:\n%s\nstderr:\n%s", args, r.code, r.stdout, r.stderr)
				}
				ran = append(ran, args[0])
			}
		}
	}
	if want := []string{"replay", "run", "corpus"}; !slices.Equal(ran, want) {
		t.Errorf("ran fuzz %v, want %v", ran, want)
	}
	for _, f := range []string{"results.sarif", "summary.md", "replay-junit.xml", "report.json"} {
		if _, err := os.Stat(filepath.Join(dir, "cffuzz-out", f)); err != nil {
			t.Errorf("the workflow uploads cffuzz-out/%s, which was not written: %v", f, err)
		}
	}
	var report struct {
		Cases    int64  `json:"cases"`
		Shard    string `json:"shard"`
		Campaign string `json:"campaign"`
	}
	readJSON(t, filepath.Join(dir, "cffuzz-out", "report.json"), &report)
	// --cases is the budget of the whole case space; shard 1/4 runs its
	// quarter.
	if report.Cases != 75 || report.Shard != "1/4" || report.Campaign != "nightly" {
		t.Errorf("the workflow's campaign: %+v, want shard 1/4's 75 of 300 cases, named nightly", report)
	}
	if pushes.Load() == 0 {
		t.Error("the campaign pushed no metrics to the Pushgateway")
	}
}

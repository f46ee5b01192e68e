package reports

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/shell"
)

// ReproducersDir is the directory, under WriteAll's, that holds the raw
// minimized connection object of every finding.
const ReproducersDir = "reproducers"

// reproducerName matches the files WriteReproducers writes (and so may
// remove when their finding is gone).
var reproducerName = regexp.MustCompile(`^[a-z0-9]+-[a-z0-9-]+-[0-9a-f]{12}\.json$`)

var nameUnsafe = regexp.MustCompile(`[^a-z0-9-]+`)

// ReproducerFileName is the file name of a finding's raw reproducer:
// severity, oracle and the first 12 hex digits of the SHA-256 of its
// signature ("high-crash-3f2a9c0d1e4b.json"), so that it is stable across
// runs and never contains the input.
func ReproducerFileName(f *cffuzz.Finding) string {
	sum := sha256.Sum256([]byte(f.Signature))
	oracle := strings.Trim(nameUnsafe.ReplaceAllString(strings.ToLower(f.Oracle), "-"), "-")
	if oracle == "" {
		oracle = "finding"
	}
	sev := strings.Trim(nameUnsafe.ReplaceAllString(f.Severity.String(), "-"), "-")
	return fmt.Sprintf("%s-%s-%s.json", sev, oracle, hex.EncodeToString(sum[:6]))
}

// AWSCommand is the AWS CLI command that sends the connection object in
// file to TestConnectionFunction. FUNCTION_ID is the function's id and ETAG
// its current ETag (aws cloudfront describe-connection-function --id
// FUNCTION_ID); add --endpoint-url to send it to an emulator.
func AWSCommand(file string) string {
	return "aws cloudfront test-connection-function --id FUNCTION_ID --if-match ETAG --connection-object " +
		shell.Quote("fileb://"+file)
}

// WriteReproducers writes the minimized connection object of every finding
// that has one, byte for byte, to dir/reproducers/ReproducerFileName(f),
// so that `aws cloudfront test-connection-function --connection-object
// fileb://FILE` sends exactly what the finding's replay sends. It removes
// the files of findings no longer present and returns a copy of findings
// with RawFile and AWSCommand filled in. Wire findings (raw HTTP requests,
// not connection objects) get no file.
func WriteReproducers(dir string, findings []cffuzz.Finding) ([]cffuzz.Finding, error) {
	out := append([]cffuzz.Finding(nil), findings...)
	rdir := filepath.Join(dir, ReproducersDir)
	keep := map[string]bool{}
	for i := range out {
		f := &out[i]
		f.RawFile, f.AWSCommand = "", ""
		if f.Wire != nil || len(f.Minimized) == 0 {
			continue
		}
		if len(keep) == 0 {
			if err := os.MkdirAll(rdir, 0o755); err != nil {
				return nil, fmt.Errorf("create %s: %w", rdir, err)
			}
		}
		name := ReproducerFileName(f)
		keep[name] = true
		path := filepath.Join(rdir, name)
		data := f.Minimized
		if err := writeFileAtomic(path, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
			return nil, err
		}
		f.RawFile = path
		f.AWSCommand = AWSCommand(path)
	}
	ents, err := os.ReadDir(rdir)
	if err != nil {
		return out, nil // no directory: nothing stale
	}
	for _, e := range ents {
		if e.Type().IsRegular() && reproducerName.MatchString(e.Name()) && !keep[e.Name()] {
			if err := os.Remove(filepath.Join(rdir, e.Name())); err != nil {
				return nil, fmt.Errorf("remove a stale reproducer: %w", err)
			}
		}
	}
	return out, nil
}

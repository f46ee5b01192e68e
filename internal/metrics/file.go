package metrics

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/prometheus/common/expfmt"
)

// WriteFile writes the campaign's metrics to path in the Prometheus text
// exposition format, for a CI artifact. The file is replaced atomically: a
// reader sees the old file or the new one, never half of one.
func (c *Campaign) WriteFile(path string) error {
	mfs, err := c.reg.Gather()
	if err != nil {
		return fmt.Errorf("gather metrics: %w", err)
	}
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			return fmt.Errorf("encode metric %s: %w", mf.GetName(), err)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write metrics file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("write metrics file %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write metrics file %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write metrics file %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write metrics file %s: %w", path, err)
	}
	return nil
}

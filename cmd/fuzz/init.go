package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/cffuzz/cffuzz/examples"
	"github.com/peterbourgon/ff/v3/ffcli"
)

func initCommand(stdout, stderr io.Writer) *ffcli.Command {
	fs := newFlagSet("fuzz init", stderr)
	force := fs.Bool("force", false, "overwrite an existing config file")
	function := fs.String("function", "", "your connection function `file.js`, as the config names it (default: write a starter "+examples.StarterFunctionFile+")")
	return &ffcli.Command{
		Name:       "init",
		ShortUsage: "fuzz init [--force] [--function file.js] [FILE|-]",
		ShortHelp:  "write a commented starter cffuzz.yaml (and a starter function)",
		LongHelp: `Write a commented config that carries every setting of fuzz run to FILE
(default cffuzz.yaml, which fuzz run reads; - writes it to stdout), so that
fuzz init && fuzz run works in an empty directory. The config names your
function (--function), or a starter function that init writes to
` + examples.StarterFunctionFile + ` unless that file exists. Paths in the config are
relative to the directory fuzz run is started in. Flags given to fuzz run
override the config.

Examples:
  fuzz init && fuzz run
  fuzz init --function src/handler.js
  fuzz init --function src/handler.js ci/nightly.yaml && fuzz run --config ci/nightly.yaml
  fuzz init - > cffuzz.yaml`,
		FlagSet: fs,
		Exec: func(_ context.Context, args []string) error {
			if len(args) > 1 {
				return usageErr("init takes at most one file name (or - for stdout)")
			}
			file := defaultConfigFile
			if len(args) == 1 {
				file = args[0]
			}
			fn := *function
			if fn != "" {
				st, err := os.Stat(fn)
				if err != nil {
					return usageErr("--function: %v: name your connection function's file, or leave --function out for a starter", err)
				}
				if st.IsDir() {
					return usageErr("--function: %s is a directory: name a .js file", fn)
				}
			}
			config := examples.StarterConfig(fn)
			if file == "-" {
				_, err := stdout.Write(config)
				return err
			}
			flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
			if *force {
				flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
			}
			f, err := os.OpenFile(file, flags, 0o644)
			if err != nil {
				return usageErr("%v (use --force to overwrite)", err)
			}
			if _, err := f.Write(config); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "wrote %s\n", file)
			if fn == "" {
				wrote, err := writeStarterFunction()
				if err != nil {
					return err
				}
				if wrote {
					fmt.Fprintf(stdout, "wrote %s, a starter connection function: put your policy in it\n", examples.StarterFunctionFile)
				} else {
					fmt.Fprintf(stdout, "kept the existing %s\n", examples.StarterFunctionFile)
				}
			}
			next := "fuzz run"
			if file != defaultConfigFile {
				next += " --config " + file
			}
			fmt.Fprintf(stdout, "next: %s\n", next)
			return nil
		},
	}
}

// writeStarterFunction writes the starter function unless a file of that
// name exists; it reports whether it wrote it.
func writeStarterFunction() (bool, error) {
	f, err := os.OpenFile(examples.StarterFunctionFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if os.IsExist(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("write the starter function: %w", err)
	}
	if _, err := f.Write(examples.StarterFunction); err != nil {
		f.Close()
		return false, fmt.Errorf("write the starter function: %w", err)
	}
	return true, f.Close()
}

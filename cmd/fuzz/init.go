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
	force := fs.Bool("force", false, "overwrite an existing file")
	return &ffcli.Command{
		Name:       "init",
		ShortUsage: "fuzz init [--force] [FILE]",
		ShortHelp:  "write a commented starter config (to FILE, or stdout)",
		LongHelp: `Write a commented cffuzz.yaml that carries every setting of fuzz run. Flags
given on the command line override it.

Examples:
  fuzz init cffuzz.yaml
  fuzz init > nightly.yaml && fuzz run --config nightly.yaml`,
		FlagSet: fs,
		Exec: func(_ context.Context, args []string) error {
			switch len(args) {
			case 0:
				_, err := stdout.Write(examples.Config)
				return err
			case 1:
				flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
				if *force {
					flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
				}
				f, err := os.OpenFile(args[0], flags, 0o644)
				if err != nil {
					return usageErr("%v (use --force to overwrite)", err)
				}
				if _, err := f.Write(examples.Config); err != nil {
					f.Close()
					return err
				}
				if err := f.Close(); err != nil {
					return err
				}
				fmt.Fprintf(stdout, "wrote %s\n", args[0])
				return nil
			default:
				return usageErr("init takes at most one file name")
			}
		},
	}
}

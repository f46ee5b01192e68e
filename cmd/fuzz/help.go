package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/peterbourgon/ff/v3/ffcli"
)

// Help and usage errors go to different places: help that was asked for
// (-h, --help, fuzz help CMD) to stdout, and a mistake to stderr as one
// line that says what to fix, never buried under the whole help. The flag
// package writes both to a flag set's output, so every flag set of the
// command tree writes to a helpSink instead, which only records which
// command spoke; run then prints what belongs where.

// helpSink is the output of a command's flag set: it discards what the
// flag package writes and records that cmd's usage or error was shown.
type helpSink struct {
	last **ffcli.Command
	cmd  *ffcli.Command
}

func (h helpSink) Write(p []byte) (int, error) {
	*h.last = h.cmd
	return len(p), nil
}

// captureUsage points the flag sets of c and its subcommands at helpSinks
// that record into last.
func captureUsage(c *ffcli.Command, last **ffcli.Command) {
	if c.FlagSet != nil {
		c.FlagSet.SetOutput(helpSink{last: last, cmd: c})
	}
	for _, s := range c.Subcommands {
		captureUsage(s, last)
	}
}

// commandFor is the command args select: the subcommands named before
// the first flag or argument that names none.
func commandFor(root *ffcli.Command, args []string) *ffcli.Command {
	c := root
	for _, a := range args {
		next := subcommand(c, a)
		if next == nil {
			break
		}
		c = next
	}
	return c
}

// subcommand is the subcommand of c named name (case-insensitive; the last
// one wins), or nil.
func subcommand(c *ffcli.Command, name string) *ffcli.Command {
	var next *ffcli.Command
	for _, s := range c.Subcommands {
		if strings.EqualFold(s.Name, name) {
			next = s
		}
	}
	return next
}

// usageText is the help of c, as --help shows it.
func usageText(c *ffcli.Command) string {
	if c.UsageFunc != nil {
		return c.UsageFunc(c)
	}
	return ffcli.DefaultUsageFunc(c)
}

// commandName is "fuzz run", "fuzz corpus merge", ...: the name its flag
// set was given.
func commandName(c *ffcli.Command) string {
	if c.FlagSet != nil && c.FlagSet.Name() != "" {
		return c.FlagSet.Name()
	}
	return "fuzz " + c.Name
}

func helpCommand(root *ffcli.Command, stdout, stderr io.Writer) *ffcli.Command {
	fs := newFlagSet("fuzz help", stderr)
	return &ffcli.Command{
		Name:       "help",
		ShortUsage: "fuzz help [command [subcommand]]",
		ShortHelp:  "show the help of fuzz or of one of its commands",
		LongHelp: `Show the help of fuzz, or of the command named, on stdout: the same text as
fuzz [command] --help.

Examples:
  fuzz help
  fuzz help run
  fuzz help corpus merge`,
		FlagSet: fs,
		Exec: func(_ context.Context, args []string) error {
			c := root
			for _, name := range args {
				next := subcommand(c, name)
				if next == nil {
					return usageErr("%s has no command %q: see fuzz help", commandName(c), name)
				}
				c = next
			}
			_, err := fmt.Fprintln(stdout, usageText(c))
			return err
		},
	}
}

var (
	invalidValue   = regexp.MustCompile(`^invalid value "(.*)" for flag -{1,2}([\w.-]+): (.*)$`)
	invalidBool    = regexp.MustCompile(`^invalid boolean value "(.*)" for -{1,2}([\w.-]+): (.*)$`)
	undefinedFlag  = regexp.MustCompile(`^flag provided but not defined: -{1,2}(.+)$`)
	needsArgument  = regexp.MustCompile(`^flag needs an argument: -{1,2}(.+)$`)
	fromElsewhere  = regexp.MustCompile(`error setting flag "([\w.-]+)" from (environment variable "[^"]*"|config file): (.*?)(?: \(every key .*\))?$`)
	configPath     = regexp.MustCompile(`^config file (.+?): `)
	parsePrefixes  = []string{"error parsing commandline arguments: ", "error parsing environment variables: "}
	genericReasons = map[string]bool{"parse error": true, "value out of range": true}
)

// flagError turns an error of parsing c's flags (or its config file or
// environment) into one line that names the flag, the value, and what the
// flag accepts.
func flagError(c *ffcli.Command, err error) string {
	name := commandName(c)
	msg := err.Error()
	for _, p := range parsePrefixes {
		msg = strings.TrimPrefix(msg, p)
	}
	explain := func(flagName, value, reason string) string {
		f := c.FlagSet.Lookup(flagName)
		if f == nil {
			return fmt.Sprintf("%s: %s", name, msg)
		}
		if genericReasons[reason] || reason == "" {
			reason = "want " + accepts(f)
		}
		return fmt.Sprintf("%s: invalid value %q for --%s: %s", name, value, flagName, reason)
	}
	if m := fromElsewhere.FindStringSubmatch(msg); m != nil {
		inner, source := m[3], m[2]
		// The value is not in the message; say where it came from.
		f := c.FlagSet.Lookup(m[1])
		if f != nil && genericReasons[inner] {
			inner = "want " + accepts(f)
		}
		if p := configPath.FindStringSubmatch(msg); p != nil && source == "config file" {
			source = "config file " + p[1]
			return fmt.Sprintf("%s: the %s sets %s to a value it does not accept: %s", name, source, m[1], inner)
		}
		return fmt.Sprintf("%s: the %s sets --%s to a value it does not accept: %s", name, source, m[1], inner)
	}
	if m := invalidValue.FindStringSubmatch(msg); m != nil {
		return explain(m[2], m[1], m[3])
	}
	if m := invalidBool.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("%s: invalid value %q for --%s: want true or false (--%s alone means true)", name, m[1], m[2], m[2])
	}
	if m := undefinedFlag.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("%s: unknown flag --%s: %s --help lists the flags", name, m[1], name)
	}
	if m := needsArgument.FindStringSubmatch(msg); m != nil {
		if f := c.FlagSet.Lookup(m[1]); f != nil {
			return fmt.Sprintf("%s: --%s needs a value: %s", name, m[1], accepts(f))
		}
	}
	return fmt.Sprintf("%s: %s (see %s --help)", name, msg, name)
}

// accepts says what f accepts: its kind of value and its usage line.
func accepts(f *flag.Flag) string {
	kind := ""
	if g, ok := f.Value.(flag.Getter); ok {
		switch g.Get().(type) {
		case int, int64, uint, uint64:
			kind = "a whole number"
		case float64:
			kind = "a number"
		case time.Duration:
			kind = "a duration such as 500ms, 30s, 10m or 1h30m"
		case bool:
			kind = "true or false"
		}
	}
	_, usage := flag.UnquoteUsage(f)
	switch {
	case kind == "":
		return usage
	case usage == "":
		return kind
	}
	return kind + " (" + usage + ")"
}

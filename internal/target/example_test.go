package target_test

import (
	"context"
	"fmt"

	"github.com/cffuzz/cffuzz"
	"github.com/cffuzz/cffuzz/internal/target"
)

// Testing a function against the embedded emulator, through the AWS SDK
// over loopback HTTP, exactly as a campaign against AWS would.
func ExampleNewEmbedded() {
	e, err := target.NewEmbedded(context.Background(), target.EmbeddedOptions{Code: []byte(`function connectionHandler(connection) {
  if (connection.clientIp.indexOf("198.51.100.") === 0) { connection.deny(); } else { connection.allow(); }
}`)})
	if err != nil {
		panic(err)
	}
	defer e.Close()
	for _, obj := range []string{`{"clientIp":"203.0.113.9"}`, `{"clientIp":"198.51.100.7"}`, `{}`, `not json`} {
		o, err := e.Test(context.Background(), &cffuzz.Case{Object: []byte(obj)})
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-30s %d %-15s decision=%q error=%s@%d\n", obj, o.Status, o.ErrorCode, o.Decision, o.ErrorName, o.Line)
	}
	// Output:
	// {"clientIp":"203.0.113.9"}     200                 decision="allow" error=@0
	// {"clientIp":"198.51.100.7"}    200                 decision="deny" error=@0
	// {}                             200                 decision="none" error=TypeError@2
	// not json                       400 InvalidArgument decision="" error=@0
}

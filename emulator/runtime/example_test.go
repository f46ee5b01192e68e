package runtime_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/cffuzz/cffuzz/emulator/runtime"
)

func ExampleNewInProcess() {
	ex := runtime.NewInProcess(runtime.Options{})
	defer ex.Close()
	code := `function connectionHandler(connection) {
  console.log("client " + connection.clientIp);
  connection.allow();
}`
	res, err := ex.Execute(context.Background(), runtime.Request{
		Code:   []byte(code),
		Object: []byte(`{"clientIp":"192.0.2.1"}`),
	})
	if err != nil {
		fmt.Println("executor failed:", err)
		return
	}
	fmt.Println(res.Logs[0])
	fmt.Println(res.OutputJSON())
	// Output:
	// client 192.0.2.1
	// {"decision":"allow","calls":["allow"],"customData":""}
}

func ExampleCheck() {
	err := runtime.Check([]byte("function connectionHandler(c) {\n  c.n ||= 1;\n}"))
	fmt.Println(err)
	// Output:
	// SyntaxError: logical assignment operators (&&=, ||=, ??=) are ES2021: not supported: neither AWS's "JavaScript runtime 2.0 features for CloudFront Functions" page nor the connection-function page ("Write CloudFront Connection Function code", which claims ECMAScript 2020 (ES11) support) lists it at line 2:6
}

func ExampleLoadKVS() {
	kvs, err := runtime.LoadKVS(strings.NewReader(`{"data":[{"key":"revoked-serial","value":"1"}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	ex := runtime.NewInProcess(runtime.Options{})
	defer ex.Close()
	code := `import cf from 'cloudfront';
async function connectionHandler(connection) {
  if (await cf.kvs().exists(connection.serial)) return connection.deny();
  connection.allow();
}`
	res, _ := ex.Execute(context.Background(), runtime.Request{Code: []byte(code), Object: []byte(`{"serial":"revoked-serial"}`), KVS: kvs})
	fmt.Println(res.Decision)
	// Output:
	// deny
}

func ExampleNewProcessPool() {
	// The program (here the test binary, see TestMain) must call
	// runtime.ServeWorkerIfRequested first thing in main.
	pool, err := runtime.NewProcessPool(runtime.ProcessOptions{Workers: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pool.Close()
	res, err := pool.Execute(context.Background(), runtime.Request{
		Code:   []byte(`function connectionHandler(c) { c.deny(); }`),
		Object: []byte(`{}`),
	})
	fmt.Println(res.Decision, err)
	// Output:
	// deny <nil>
}

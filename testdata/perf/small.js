// small.js: the function of the throughput benchmarks (docs/benchmarks.md):
// a few field checks and a log line.
function connectionHandler(connection) {
  var ip = connection.clientIp;
  console.log("connection from " + ip);
  if (typeof ip !== "string" || ip.length === 0) {
    connection.deny();
    return;
  }
  if (ip.indexOf("10.") === 0 || ip === "203.0.113.7") {
    connection.allow();
    return;
  }
  connection.deny();
}

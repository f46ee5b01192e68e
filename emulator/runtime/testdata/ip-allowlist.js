// Client IP allow-list, after the Developer Guide's connection-function
// examples: allow listed addresses, deny everything else.
const allowed = ["127.0.0.1", "203.0.113.42"];

function connectionHandler(connection) {
    const ip = connection.clientIp;
    if (allowed.indexOf(ip) !== -1) {
        console.log("allowed " + ip);
        return connection.allow();
    }
    console.log("denied " + ip);
    return connection.deny();
}

// Certificate validity check with Date, after the Developer Guide's first
// connection-function example.
function connectionHandler(connection) {
    if (!connection.clientCertificate) {
        return connection.deny();
    }
    const leaf = connection.clientCertificate.certificates.leaf;
    const now = Date.now();
    if (now < Date.parse(leaf.validity.notBefore) || now > Date.parse(leaf.validity.notAfter)) {
        console.log("certificate outside its validity period");
        return connection.deny();
    }
    return connection.allow();
}

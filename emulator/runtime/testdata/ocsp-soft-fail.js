// OCSP soft-fail, after the Developer Guide's "advanced revocation
// scenarios": deny revoked leaf certificates, allow when the responder
// could not answer, log what was decided.
function connectionHandler(connection) {
    const cert = connection.clientCertificate;
    const rs = cert && cert.revocationStatus;
    if (!rs || !rs.certificates || !rs.certificates.leaf) {
        connection.logCustomData("ocsp:absent");
        return connection.allow();
    }
    const status = rs.certificates.leaf.status;
    connection.logCustomData("ocsp:" + status);
    if (status === "Revoked") {
        return connection.deny();
    }
    // "Good", and soft-fail for "Unknown" and "Error".
    return connection.allow();
}

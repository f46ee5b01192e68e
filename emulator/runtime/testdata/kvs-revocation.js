// Serial-number revocation check against a KeyValueStore, after the
// CloudFront Developer Guide's "create-revocation-connection-function"
// example (rewritten for the documented connection.clientCertificate shape).
import cf from 'cloudfront';

async function connectionHandler(connection) {
    const kvsHandle = cf.kvs();
    if (!connection.clientCertificate) {
        // Non-mTLS connection: nothing to check.
        return connection.allow();
    }
    const serial = connection.clientCertificate.certificates.leaf.serialNumber.replaceAll(":", "");
    const revoked = await kvsHandle.exists(serial);
    if (revoked) {
        console.log("revoked certificate " + serial);
        connection.logCustomData("revoked:" + serial);
        return connection.deny();
    }
    return connection.allow();
}

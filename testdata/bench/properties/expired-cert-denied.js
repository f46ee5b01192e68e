// Property expired-cert-denied: a certificate is never allowed after its
// notAfter time (the distribution has IgnoreCertificateExpiry on, so the
// function itself must refuse expired certificates).
//
// check(connection, outcome) returns true when the property holds and a
// message otherwise; outcome is {decision, error, utilization, logs,
// customData, calls}.
function check(connection, outcome) {
  if (outcome.decision !== 'allow') {
    return true;
  }
  const cc = connection && connection.clientCertificate;
  const leaf = cc && cc.certificates && cc.certificates.leaf;
  const validity = leaf && leaf.validity;
  if (!validity || typeof validity.notAfter !== 'string') {
    return true;
  }
  const notAfter = Date.parse(validity.notAfter);
  if (!isNaN(notAfter) && notAfter < Date.now()) {
    return 'allowed a certificate that expired at ' + validity.notAfter;
  }
  return true;
}

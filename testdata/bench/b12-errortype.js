// Strict chain OCSP. Every certificate of the chain must be Good, with one
// exception: a responder-side failure is tolerated (soft-fail), because our
// OCSP responder has had outages. A response that fails verification is
// treated as an attack and refused.
const VERIFY_FAILED = 'OCSP response verification failed';

function acceptable(st) {
  if (st.status === 'Good') {
    return true;
  }
  return !st.errorType.startsWith(VERIFY_FAILED);
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const rs = cc.revocationStatus;
  if (!rs || !rs.certificates || !rs.certificates.leaf) {
    console.log('no OCSP result; OCSP must be enabled on the trust store');
    return connection.deny();
  }
  if (rs.chainValidity === 'Invalid') {
    return connection.deny();
  }
  const statuses = [rs.certificates.leaf].concat(rs.certificates.intermediates || []);
  for (let i = 0; i < statuses.length; i++) {
    if (!statuses[i] || !acceptable(statuses[i])) {
      connection.logCustomData('ocsp refused at chain position ' + i);
      return connection.deny();
    }
  }
  return connection.allow();
}

// Service mesh. Workload certificates must name only workloads under
// mesh.example.com in their SAN (DNS entries, labels may not start with a
// hyphen). Certificates without a SAN, or with any other name, are refused.
const MESH_NAME = /^dns:(?!-)([a-z0-9-]+\.?)+\.mesh\.example\.com$/;
const MESH_ISSUER = 'Example Corp Intermediate CA';
const MESH_SUFFIX = '.mesh.example.com';
const MAX_ENTRIES = 32;

// sanEntries returns the names of the SAN, normalised; past MAX_ENTRIES it
// stops splitting, and the caller refuses such a certificate.
function sanEntries(san) {
  return String(san).split(',', MAX_ENTRIES + 1).map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
}

function connectionHandler(connection) {
  const cc = connection.clientCertificate;
  if (!cc || !cc.certificates || !cc.certificates.leaf) {
    return connection.deny();
  }
  const leaf = cc.certificates.leaf;
  if (String(leaf.issuer).indexOf('CN=' + MESH_ISSUER) === -1) {
    return connection.deny();
  }
  if (typeof leaf.san !== 'string' || leaf.san.length === 0) {
    console.log('workload certificate without SAN');
    return connection.deny();
  }
  const names = sanEntries(leaf.san);
  if (names.length > MAX_ENTRIES) {
    return connection.deny();
  }
  for (let i = 0; i < names.length; i++) {
    // Cheap suffix test first; the full pattern checks the labels.
    if (names[i].slice(-MESH_SUFFIX.length) !== MESH_SUFFIX || !MESH_NAME.test(names[i])) {
      console.log('SAN entry ' + i + ' is not a mesh workload');
      return connection.deny();
    }
  }
  connection.logCustomData('workload=' + names[0]);
  return connection.allow();
}

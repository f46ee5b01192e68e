// Multi-tenant edge: the CN of the client certificate carries the tenant
// ("tenant-<id>.clients.example.net"); only tenants on the allow list connect.
const TENANTS = ['acme', 'globex', 'initech', 'umbrella'];

function tenantFromCN(cn) {
  const m = /^tenant-([a-z0-9]+)\.clients\.example\.net$/.exec(cn);
  return m ? m[1] : null;
}

function connectionHandler(connection) {
  if (!connection.clientCertificate) {
    connection.deny();
    return;
  }
  const leaf = connection.clientCertificate.certificates.leaf;
  const subject = String(leaf.subject || '');
  // BUG: a subject without CN (e.g. "O=Acme,C=US") makes match() return null.
  const cn = subject.match(/CN=([^,]+)/)[1].trim();
  const tenant = tenantFromCN(cn);
  connection.logCustomData('tenant=' + tenant);
  if (tenant !== null && TENANTS.indexOf(tenant) !== -1) {
    connection.allow();
  } else {
    connection.deny();
  }
}

#!/usr/bin/env bash
# Keys and certificates for the two nodes of a redundant pair, with the JDK's keytool only:
#
#   docker/tls-pair.sh <out-dir> <master-node-host>[,<more names or addresses>] <backup-node-host>[,...]
#   e.g. docker/tls-pair.sh tls bridge-a.plant.local,10.20.0.11 bridge-b.plant.local,10.20.0.12
#
# Makes a CA for the pair and, signed by it, one certificate per node for the names and addresses given
# (the host of the other node's bridge.peer.url must be one of them). Writes:
#   <out>/pair-ca.p12, <out>/pair-ca.p12.password   the CA's key: keep it off the nodes (it signs new node certificates)
#   <out>/<node>/tls/node.p12                         the node's key and certificate chain (PKCS12)
#   <out>/<node>/tls/pair-ca.pem                      the CA certificate: how each node checks the other's certificate
#   <out>/<node>/application-tls.properties           the lines for that node's config/application.properties
# where <node> is master and backup. On each node: copy <out>/<node>/tls to config/tls and add the properties
# (better: the password as BRIDGE_TLS_KEY_STORE_PASSWORD in the environment). Nothing here leaves the machine.
# Set DAYS (default 825) for another validity.
set -euo pipefail

if [ $# -ne 3 ]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
out=$1
days=${DAYS:-825}
command -v keytool >/dev/null || { echo "keytool (JDK 17+) is not on the PATH" >&2; exit 1; }
if [ -e "$out/pair-ca.p12" ]; then
  echo "$out/pair-ca.p12 exists: use another folder, or remove it to make a new pair CA" >&2
  exit 1
fi
umask 077
mkdir -p "$out"

# keytool runs a short-lived JVM a dozen times here: the client compiler and the serial collector halve its time.
keytool() { command keytool -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC "$@"; }
password() { head -c 24 /dev/urandom | base64 | tr -d '/+=\n'; }

# "a.example,10.0.0.1" -> "dns:a.example,ip:10.0.0.1"
san() {
  local entries=() name
  IFS=',' read -ra names <<< "$1"
  for name in "${names[@]}"; do
    if [[ $name =~ ^[0-9.]+$ || $name == *:* ]]; then entries+=("ip:$name"); else entries+=("dns:$name"); fi
  done
  (IFS=','; echo "${entries[*]}")
}

ca_password=$(password)
printf '%s\n' "$ca_password" > "$out/pair-ca.p12.password"
keytool -genkeypair -alias pair-ca -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA \
  -dname "CN=Ignition MaintainX bridge pair CA" -ext bc:c -ext KeyUsage:critical=keyCertSign,cRLSign \
  -validity "$days" -keystore "$out/pair-ca.p12" -storetype PKCS12 -storepass "$ca_password" 2>/dev/null
keytool -exportcert -rfc -alias pair-ca -keystore "$out/pair-ca.p12" -storepass "$ca_password" -file "$out/pair-ca.pem" 2>/dev/null

for node in master backup; do
  if [ "$node" = master ]; then hosts=$2; else hosts=$3; fi
  dir="$out/$node"
  mkdir -p "$dir/tls"
  node_password=$(password)
  store="$dir/tls/node.p12"
  keytool -genkeypair -alias node -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA \
    -dname "CN=${hosts%%,*}, OU=Ignition MaintainX bridge $node node" -validity "$days" \
    -keystore "$store" -storetype PKCS12 -storepass "$node_password" 2>/dev/null
  keytool -certreq -alias node -keystore "$store" -storepass "$node_password" -file "$dir/node.csr" 2>/dev/null
  keytool -gencert -alias pair-ca -keystore "$out/pair-ca.p12" -storepass "$ca_password" -infile "$dir/node.csr" \
    -outfile "$dir/node.pem" -rfc -validity "$days" -sigalg SHA256withECDSA -ext "san=$(san "$hosts")" \
    -ext KeyUsage:critical=digitalSignature -ext ExtendedKeyUsage=serverAuth,clientAuth 2>/dev/null
  keytool -importcert -noprompt -alias pair-ca -file "$out/pair-ca.pem" -keystore "$store" -storepass "$node_password" 2>/dev/null
  keytool -importcert -alias node -file "$dir/node.pem" -keystore "$store" -storepass "$node_password" 2>/dev/null
  keytool -delete -alias pair-ca -keystore "$store" -storepass "$node_password" 2>/dev/null
  rm -f "$dir/node.csr"
  cp "$out/pair-ca.pem" "$dir/tls/pair-ca.pem"
  fingerprint=$(keytool -printcert -file "$dir/node.pem" | sed -n 's/^[[:space:]]*SHA256: //p')
  if [ "$node" = master ]; then other=$3; else other=$2; fi
  cat > "$dir/application-tls.properties" <<EOF
# TLS of the $node node (docker/tls-pair.sh, $(date -u +%Y-%m-%d)); certificate SHA-256 $fingerprint
bridge.tls.key-store = config/tls/node.p12
bridge.tls.key-store-password = $node_password
bridge.peer.trust-store = config/tls/pair-ca.pem
bridge.peer.url = https://${other%%,*}:8080
EOF
  echo "$node node: $dir/tls (certificate for ${hosts}, SHA-256 $fingerprint)"
done
echo "CA key: $out/pair-ca.p12 (keep it off the nodes). Next: docs/security.md, TLS."

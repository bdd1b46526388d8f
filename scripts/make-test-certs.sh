#!/bin/sh
# Creates throwaway TLS certificates for the transport tests in OUTDIR:
#   ca.pem / ca.key                 test CA that the tests trust
#   server.pem / server.key         127.0.0.1, localhost, switchboard.test (serverAuth)
#   server-renewed.pem / .key       same names, organisation "Switchboard Renewed" (reload tests)
#   client.pem / client.key         client.switchboard.test (clientAuth, mutual TLS)
#   expired.pem / expired.key       same names as server.pem, validity ended in 2021
#   wrong-name.pem / .key           only wrong.example, signed by the test CA
#   other-ca.pem                    a CA the tests do not trust
#   untrusted.pem / .key            server names, signed by other-ca
# Keys are EC P-256 so that generation is instant. Requires the openssl CLI (3.0 or later).
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
out=$1
mkdir -p "$out"
cd "$out"

newkey() {
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
}

# A CA: self-signed, CA:TRUE, keyCertSign.
make_ca() { # name subject
    newkey "$1.key"
    openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 3650 -subj "$2" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -addext "subjectKeyIdentifier=hash"
}

# A leaf signed by a CA. name subject ca extensions-section
make_leaf() {
    newkey "$1.key"
    openssl req -new -key "$1.key" -out "$1.csr" -subj "$2"
    openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial \
        -days 825 -out "$1.pem" -extfile extensions.cnf -extensions "$4" 2>/dev/null
    rm -f "$1.csr"
}

cat > extensions.cnf <<'CNF'
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost,DNS:switchboard.test
authorityKeyIdentifier = keyid

[client]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:client.switchboard.test
authorityKeyIdentifier = keyid

[wrongname]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example
authorityKeyIdentifier = keyid
CNF

make_ca ca "/O=Switchboard Test/CN=Switchboard Test CA"
make_ca other-ca "/O=Elsewhere/CN=Elsewhere CA"

make_leaf server "/O=Switchboard/CN=switchboard.test" ca server
make_leaf server-renewed "/O=Switchboard Renewed/CN=switchboard.test" ca server
make_leaf client "/O=Switchboard/CN=client.switchboard.test" ca client
make_leaf wrong-name "/O=Switchboard/CN=wrong.example" ca wrongname
make_leaf untrusted "/O=Elsewhere/CN=switchboard.test" other-ca server

# `openssl x509 -days` refuses non-positive values; `openssl ca` takes explicit
# -startdate/-enddate, which is how an already-expired certificate is made.
newkey expired.key
openssl req -new -key expired.key -out expired.csr -subj "/O=Switchboard/CN=switchboard.test"
mkdir -p ca-db
: > ca-db/index.txt
echo 1000 > ca-db/serial
cat > ca.cnf <<'CNF'
[ca]
default_ca = test_ca

[test_ca]
dir = ./ca-db
database = $dir/index.txt
serial = $dir/serial
new_certs_dir = $dir
certificate = ./ca.pem
private_key = ./ca.key
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none

[anything]
organizationName = optional
commonName = supplied
CNF
openssl ca -batch -config ca.cnf -notext -in expired.csr -out expired.pem \
    -startdate 20200101000000Z -enddate 20210101000000Z \
    -extfile extensions.cnf -extensions server 2>/dev/null
rm -rf expired.csr ca-db ca.cnf extensions.cnf ca.srl other-ca.srl

#!/bin/sh
# mmdebstrap hook (images/build.sh): finishes a root filesystem whose packages were only extracted
# (--variant=extract runs no maintainer scripts, so nothing made users, the CA bundle or
# nsswitch.conf). Runs on the build machine with the root filesystem as $1.
#   $2: the user 10001's name, $3: its home directory.
set -eu
root=$1 user=${2:-app} home=${3:-/home/app}

# users: root and the one non-root user the images run as (10001); no shell exists in this image
cat > "$root/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
$user:x:10001:10001:mainloop:$home:/usr/sbin/nologin
PASSWD
cat > "$root/etc/group" <<GROUP
root:x:0:
nogroup:x:65534:
$user:x:10001:
GROUP
printf 'root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n%s:*:19000:0:99999:7:::\n' "$user" > "$root/etc/shadow"
chmod 0640 "$root/etc/shadow"
mkdir -p "$root$home" "$root/root"
chown 10001:10001 "$root$home"
chmod 0755 "$root$home"
chmod 0700 "$root/root"

# name lookups: files first (localhost without a DNS round trip), then DNS
cat > "$root/etc/nsswitch.conf" <<'NSS'
passwd: files
group: files
shadow: files
hosts: files dns
networks: files
protocols: files
services: files
NSS

# the CA bundle update-ca-certificates would write: every certificate ca-certificates ships
# (/etc/ssl/certs/ca-certificates.crt, read by OpenSSL, GnuTLS, curl, git and the Claude Code CLI;
# the Java runtime keeps its own cacerts)
mkdir -p "$root/etc/ssl/certs"
: > "$root/etc/ssl/certs/ca-certificates.crt"
for crt in "$root"/usr/share/ca-certificates/mozilla/*.crt; do
  [ -e "$crt" ] || continue
  cat "$crt" >> "$root/etc/ssl/certs/ca-certificates.crt"
  name=$(basename "$crt" .crt)
  ln -sf "/usr/share/ca-certificates/mozilla/$name.crt" "$root/etc/ssl/certs/$name.pem"
done
[ -s "$root/etc/ssl/certs/ca-certificates.crt" ] || { echo "no CA certificates extracted" >&2; exit 1; }

# UTC unless TZ says otherwise (tzdata's zones are under /usr/share/zoneinfo)
ln -sf /usr/share/zoneinfo/Etc/UTC "$root/etc/localtime"
echo Etc/UTC > "$root/etc/timezone"

# what an image that never runs apt or a shell does not need
rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
       "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/var/log/* "$root"/usr/share/lintian
chmod 1777 "$root/tmp"

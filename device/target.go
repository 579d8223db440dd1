package device

import (
	"fmt"
	"log/slog"
	"net/netip"
)

// Target is one device to connect to. It is a plain value; copying it is
// cheap and printing it never shows a secret.
type Target struct {
	// Name identifies the device in errors, logs and pools, e.g. "pe1".
	// Empty means Addr's text.
	Name string
	// Addr is the device's management address and port (830 for NETCONF,
	// 22 for the CLI on real Junos).
	Addr netip.AddrPort
	// Credentials to log in with; see [Password] and [PrivateKey].
	Credentials Credentials
	// HostKeys says how the device's SSH host key is verified. The zero
	// value verifies nothing and so refuses every host ([ErrHostKey]); see
	// [KnownHostsFile], [PinnedKeys] and [InsecureIgnoreHostKey].
	HostKeys HostKeys
}

// Key returns the name a Target is known by: Name, or Addr's text.
func (t Target) Key() string {
	if t.Name != "" {
		return t.Name
	}
	return t.Addr.String()
}

// Validate reports whether t has an address, a user name and a credential.
func (t Target) Validate() error {
	if !t.Addr.IsValid() || t.Addr.Port() == 0 {
		return fmt.Errorf("device %s: invalid address %q", t.Key(), t.Addr)
	}
	if t.Credentials.user == "" {
		return fmt.Errorf("device %s: no user name in credentials", t.Key())
	}
	if t.Credentials.kind == credNone {
		return fmt.Errorf("device %s: no password or private key in credentials", t.Key())
	}
	return nil
}

type credKind uint8

const (
	credNone credKind = iota
	credPassword
	credKey
)

const redacted = "[redacted]"

// Credentials are a user name and either a password or a private key. The
// secret is held in unexported fields, and every way of printing
// Credentials — String, GoString, fmt's %v/%+v/%#v/%s/%q, slog — shows the
// user name and the kind of secret only. The zero value has no user and no
// secret.
type Credentials struct {
	user       string
	kind       credKind
	password   string
	key        []byte
	passphrase string
}

// Password returns credentials that log in as user with a password (SSH
// password and keyboard-interactive authentication).
func Password(user, password string) Credentials {
	return Credentials{user: user, kind: credPassword, password: password}
}

// PrivateKey returns credentials that log in as user with an SSH private key
// in PEM or OpenSSH format; passphrase decrypts an encrypted key ("" for
// none). The key bytes are copied.
func PrivateKey(user string, key []byte, passphrase string) Credentials {
	return Credentials{user: user, kind: credKey, key: append([]byte(nil), key...), passphrase: passphrase}
}

// Username returns the login name.
func (c Credentials) Username() string { return c.user }

// Secret returns the password, or the private key and its passphrase, for an
// adapter to authenticate with. Callers must never log what it returns.
func (c Credentials) Secret() (password string, key []byte, passphrase string) {
	return c.password, c.key, c.passphrase
}

// IsPassword reports whether c holds a password (rather than a key).
func (c Credentials) IsPassword() bool { return c.kind == credPassword }

// String returns `user (password [redacted])`, `user (key [redacted])` or
// `user (no secret)`.
func (c Credentials) String() string {
	switch c.kind {
	case credPassword:
		return c.user + " (password " + redacted + ")"
	case credKey:
		return c.user + " (key " + redacted + ")"
	}
	return c.user + " (no secret)"
}

// GoString is String in Go syntax: device.Credentials{user:"admin", secret:[redacted]}.
func (c Credentials) GoString() string {
	return fmt.Sprintf("device.Credentials{user:%q, secret:%s}", c.user, redacted)
}

// Format implements fmt.Formatter so that no verb prints the secret.
func (c Credentials) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		fmt.Fprint(f, c.GoString())
	case verb == 'q':
		fmt.Fprintf(f, "%q", c.String())
	default:
		fmt.Fprint(f, c.String())
	}
}

// LogValue implements slog.LogValuer: a group of the user name and
// secret=[redacted].
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("user", c.user), slog.String("secret", redacted))
}

// MarshalText returns String, so encoders never write the secret.
func (c Credentials) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// HostKeys is the policy for verifying a device's SSH host key. Build one
// with [KnownHostsFile], [PinnedKeys] or [InsecureIgnoreHostKey]; the zero
// value trusts no key.
type HostKeys struct {
	// KnownHostsFile is an OpenSSH known_hosts file; the device's address
	// ("[127.0.1.1]:830 ssh-ed25519 …" for ports other than 22) must be
	// listed with its key.
	KnownHostsFile string
	// Keys are pinned public keys in authorized_keys format
	// ("ssh-ed25519 AAAA…"); the device must present one of them.
	Keys []string
	// insecure skips verification; only InsecureIgnoreHostKey sets it.
	insecure bool
}

// KnownHostsFile verifies host keys against an OpenSSH known_hosts file.
func KnownHostsFile(path string) HostKeys { return HostKeys{KnownHostsFile: path} }

// PinnedKeys verifies host keys against the given public keys, each in
// authorized_keys format.
func PinnedKeys(keys ...string) HostKeys { return HostKeys{Keys: append([]string(nil), keys...)} }

// InsecureIgnoreHostKey accepts any host key: anyone on the path can then
// impersonate the device and read the credentials. Adapters log a warning
// on every dial with this policy. Use it for throwaway labs only.
func InsecureIgnoreHostKey() HostKeys { return HostKeys{insecure: true} }

// Insecure reports whether h skips host-key verification.
func (h HostKeys) Insecure() bool { return h.insecure }

// IsZero reports whether h names no way to verify a key (and so refuses
// all).
func (h HostKeys) IsZero() bool { return !h.insecure && h.KnownHostsFile == "" && len(h.Keys) == 0 }

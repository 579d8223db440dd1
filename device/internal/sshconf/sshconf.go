package sshconf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/carrierkit/carrierkit/device"
)

// Signer parses the target's private key (decrypting it with the
// passphrase if there is one).
func Signer(t device.Target) (ssh.Signer, error) {
	_, key, pass := t.Credentials.Secret()
	var s ssh.Signer
	var err error
	if pass != "" {
		s, err = ssh.ParsePrivateKeyWithPassphrase(key, []byte(pass))
	} else {
		s, err = ssh.ParsePrivateKey(key)
	}
	if err != nil {
		// The parse error never contains key material.
		return nil, fmt.Errorf("device %s: private key of user %q: %w", t.Key(), t.Credentials.Username(), err)
	}
	return s, nil
}

// Auth returns the SSH authentication methods for the target's credentials.
func Auth(t device.Target) ([]ssh.AuthMethod, error) {
	if t.Credentials.IsPassword() {
		pw, _, _ := t.Credentials.Secret()
		ki := ssh.KeyboardInteractive(func(_, _ string, qs []string, _ []bool) ([]string, error) {
			a := make([]string, len(qs))
			for i := range a {
				a[i] = pw
			}
			return a, nil
		})
		return []ssh.AuthMethod{ssh.Password(pw), ki}, nil
	}
	s, err := Signer(t)
	if err != nil {
		return nil, err
	}
	return []ssh.AuthMethod{ssh.PublicKeys(s)}, nil
}

// HostKeyCallback returns the callback for the target's host-key policy and
// the host-key algorithms to offer (so that the server presents a key kind
// the policy can check). Its errors wrap device.ErrHostKey.
func HostKeyCallback(t device.Target, log *slog.Logger) (ssh.HostKeyCallback, []string, error) {
	h := t.HostKeys
	switch {
	case h.Insecure():
		log.Warn("device: host key verification DISABLED (InsecureIgnoreHostKey): the device can be impersonated",
			"device", t.Key(), "addr", t.Addr.String())
		return ssh.InsecureIgnoreHostKey(), nil, nil
	case h.IsZero():
		return nil, nil, fmt.Errorf("device %s: %w: no known_hosts file or pinned keys given (device.KnownHostsFile, device.PinnedKeys)", t.Key(), device.ErrHostKey)
	}
	var pinned []ssh.PublicKey
	var algos []string
	for i, k := range h.Keys {
		pk, _, _, _, err := ssh.ParseAuthorizedKey([]byte(k))
		if err != nil {
			return nil, nil, fmt.Errorf("device %s: pinned host key %d %q: %w", t.Key(), i, shorten(k), err)
		}
		pinned = append(pinned, pk)
		algos = append(algos, algorithmsFor(pk.Type())...)
	}
	var kh ssh.HostKeyCallback
	if h.KnownHostsFile != "" {
		var err error
		kh, err = knownhosts.New(h.KnownHostsFile)
		if err != nil {
			return nil, nil, fmt.Errorf("device %s: known_hosts: %w", t.Key(), err)
		}
		algos = nil // let the server pick; known_hosts decides
	}
	cb := func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		for _, pk := range pinned {
			if bytes.Equal(pk.Marshal(), key.Marshal()) {
				return nil
			}
		}
		if kh != nil {
			err := kh(hostname, remote, key)
			if err == nil {
				return nil
			}
			return fmt.Errorf("%w: %s key %s of %s: %w", device.ErrHostKey, key.Type(), ssh.FingerprintSHA256(key), hostname, err)
		}
		return fmt.Errorf("%w: %s key %s of %s is not pinned", device.ErrHostKey, key.Type(), ssh.FingerprintSHA256(key), hostname)
	}
	return cb, algos, nil
}

func algorithmsFor(keyType string) []string {
	if keyType == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{keyType}
}

func shorten(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// ClientConfig builds the SSH client configuration for t.
func ClientConfig(t device.Target, log *slog.Logger) (*ssh.ClientConfig, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	cb, algos, err := HostKeyCallback(t, log)
	if err != nil {
		return nil, err
	}
	auth, err := Auth(t)
	if err != nil {
		return nil, err
	}
	return &ssh.ClientConfig{User: t.Credentials.Username(), Auth: auth, HostKeyCallback: cb, HostKeyAlgorithms: algos}, nil
}

// KnownHostsFile returns a known_hosts file for tools that need one
// (scrapligo): the target's own file, or a temporary file listing the
// pinned keys under the target's address. cleanup removes a temporary file.
func KnownHostsFile(t device.Target) (path string, cleanup func(), err error) {
	h := t.HostKeys
	if h.KnownHostsFile != "" && len(h.Keys) == 0 {
		return h.KnownHostsFile, func() {}, nil
	}
	var b strings.Builder
	addr := knownhosts.Normalize(t.Addr.String())
	for i, k := range h.Keys {
		pk, _, _, _, err := ssh.ParseAuthorizedKey([]byte(k))
		if err != nil {
			return "", nil, fmt.Errorf("device %s: pinned host key %d %q: %w", t.Key(), i, shorten(k), err)
		}
		b.WriteString(knownhosts.Line([]string{addr}, pk) + "\n")
	}
	if h.KnownHostsFile != "" {
		data, err := os.ReadFile(h.KnownHostsFile)
		if err != nil {
			return "", nil, fmt.Errorf("device %s: known_hosts: %w", t.Key(), err)
		}
		b.Write(data)
	}
	dir, err := os.MkdirTemp("", "carrierkit-known-hosts-")
	if err != nil {
		return "", nil, fmt.Errorf("device %s: known_hosts: %w", t.Key(), err)
	}
	path = filepath.Join(dir, "known_hosts")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("device %s: known_hosts: %w", t.Key(), err)
	}
	return path, func() { os.RemoveAll(dir) }, nil
}

// Classify turns a failure to set up a session into a device error: host
// key, authentication, timeout (when ctx ended) or unreachable. x/crypto/ssh
// has no typed authentication error, so that one is recognised by its
// message ("unable to authenticate").
func Classify(ctx context.Context, t device.Target, op string, err error) error {
	if err == nil {
		return nil
	}
	key := t.Key()
	switch {
	case errors.Is(err, device.ErrHostKey):
		return fmt.Errorf("device %s: %s: %w", key, op, err)
	case ctx.Err() != nil, errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Errorf("%w (%v)", device.TimeoutError(ctx, key, op), err)
	case isAuthError(err):
		return fmt.Errorf("device %s: %s as %q: %w: %w", key, op, t.Credentials.Username(), device.ErrAuth, err)
	case strings.Contains(err.Error(), "knownhosts:"), strings.Contains(err.Error(), "host key"):
		return fmt.Errorf("device %s: %s: %w: %w", key, op, device.ErrHostKey, err)
	}
	return fmt.Errorf("device %s: %s %s: %w: %w", key, op, t.Addr, device.ErrUnreachable, err)
}

func isAuthError(err error) bool {
	var nm *ssh.ServerAuthError
	if errors.As(err, &nm) {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "unable to authenticate") || strings.Contains(s, "no supported methods remain")
}

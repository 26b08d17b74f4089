package unified

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// keySize is the AES-256 key length of --secrets-key-file.
const keySize = 32

// LoadOrCreateKey reads the secrets key file: 32 raw bytes (or 64 hex characters, as `openssl rand -hex 32`
// writes). A missing file is created with mode 0600 and 32 random bytes. A file that group or others may read or
// write is refused. The key is independent of wp-config.php's salts, which sites rotate.
func LoadOrCreateKey(path string) ([]byte, error) {
	if path == "" {
		return nil, errors.New("no secrets key file: give --secrets-key-file (env WPSIDECAR_SECRETS_KEY_FILE)")
	}
	key, err := loadKey(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	key = make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return loadKey(path) // another process created it first
	}
	if err != nil {
		return nil, fmt.Errorf("create secrets key file: %w", err)
	}
	if _, err := f.Write(key); err != nil {
		f.Close()
		return nil, fmt.Errorf("write secrets key file: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("write secrets key file: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write secrets key file: %w", err)
	}
	return key, nil
}

func loadKey(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("secrets key file %s has mode %04o: allow only its owner (chmod 600)", path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read secrets key file: %w", err)
	}
	if len(b) == keySize {
		return b, nil
	}
	if t := bytes.TrimSpace(b); len(t) == 2*keySize {
		if k, err := hex.DecodeString(string(t)); err == nil {
			return k, nil
		}
	}
	return nil, fmt.Errorf("secrets key file %s must hold 32 bytes (or 64 hex characters), it has %d bytes", path, len(b))
}

// keyID fingerprints a key so a row encrypted under another key file is recognised as such.
func keyID(key []byte) string {
	sum := sha256.Sum256(append([]byte("wpsidecar client secrets key\x00"), key...))
	return hex.EncodeToString(sum[:8])
}

// sealSecret encrypts a client secret: base64(nonce || AES-256-GCM(secret)) with the client id as additional data,
// so a ciphertext copied to another client's row does not decrypt.
func sealSecret(key []byte, clientID, secret string) (string, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := aead.Seal(nonce, nonce, []byte(secret), []byte(clientID))
	return base64.StdEncoding.EncodeToString(out), nil
}

// openSecret decrypts what sealSecret made.
func openSecret(key []byte, clientID, enc string) (string, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return "", err
	}
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil || len(raw) < aead.NonceSize() {
		return "", errors.New("client secret: malformed ciphertext")
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(clientID))
	if err != nil {
		return "", errors.New("client secret: does not decrypt under this key")
	}
	return string(plain), nil
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// keyring returns the decryption key, loading (or creating) the key file on first use; a failure is retried on the
// next request, so a key file created later by `wpsidecar clients create` is picked up.
func (s *service) keyring() ([]byte, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.key != nil {
		return s.key, nil
	}
	key, err := LoadOrCreateKey(s.opts.SecretsKeyFile)
	if err != nil {
		if err.Error() != s.keyErr { // log each distinct failure once, not on every request
			s.keyErr = err.Error()
			s.site.Log.Error("unified API: secrets key unavailable; signed requests are refused with 503", "err", err)
		}
		return nil, err
	}
	s.key, s.keyErr = key, ""
	return key, nil
}

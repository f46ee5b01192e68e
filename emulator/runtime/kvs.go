package runtime

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// KeyValueStore limits documented by CloudFront.
const (
	// MaxKVSKeyBytes is the maximum size of a key.
	MaxKVSKeyBytes = 512
	// MaxKVSValueBytes is the maximum size of a value.
	MaxKVSValueBytes = 1024
	// MaxKVSBytes is the maximum total size of a store (keys plus values).
	// AWS's pages disagree: the quotas page says 5 MB, the
	// connection-function page "a 10MB total size limit"; as with the
	// language level, the emulator accepts what either page documents.
	MaxKVSBytes = 10 << 20
)

// KVS is a read-only CloudFront KeyValueStore as seen by a function through
// cf.kvs(). It is safe for concurrent use.
type KVS struct {
	data    map[string]string
	created time.Time
	updated time.Time

	hash atomic.Pointer[[sha256.Size]byte] // contentHash, once computed
}

// NewKVS returns a store holding a copy of data. Its creation and update
// times are fixed at 2024-01-01T00:00:00Z so that meta() is reproducible.
// It does not check CloudFront's size limits; use LoadKVS for untrusted input.
func NewKVS(data map[string]string) *KVS {
	cp := make(map[string]string, len(data))
	for k, v := range data {
		cp[k] = v
	}
	t := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	return &KVS{data: cp, created: t, updated: t}
}

// kvsFile is CloudFront's KeyValueStore import file.
type kvsFile struct {
	Data *[]struct {
		Key   *string `json:"key"`
		Value *string `json:"value"`
	} `json:"data"`
}

// LoadKVS reads a KeyValueStore in CloudFront's import-file format,
// {"data":[{"key":"k","value":"v"},...]}, and checks CloudFront's limits:
// keys 1–512 bytes, values at most 1 KB, both valid UTF-8, no duplicate
// keys, 10 MB in total (MaxKVSBytes).
func LoadKVS(r io.Reader) (*KVS, error) {
	var f kvsFile
	dec := json.NewDecoder(r)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("kvs: not a KeyValueStore import file (want {\"data\":[{\"key\":...,\"value\":...}]}): %w", err)
	}
	if f.Data == nil {
		return nil, fmt.Errorf(`kvs: import file has no "data" array (want {"data":[{"key":...,"value":...}]})`)
	}
	data := make(map[string]string, len(*f.Data))
	total := 0
	for i, e := range *f.Data {
		switch {
		case e.Key == nil:
			return nil, fmt.Errorf("kvs: data[%d]: missing \"key\"", i)
		case e.Value == nil:
			return nil, fmt.Errorf("kvs: data[%d] (key %.40q): missing \"value\"", i, *e.Key)
		case *e.Key == "":
			return nil, fmt.Errorf("kvs: data[%d]: empty key; keys must be 1–%d bytes", i, MaxKVSKeyBytes)
		case len(*e.Key) > MaxKVSKeyBytes:
			return nil, fmt.Errorf("kvs: data[%d]: key is %d bytes, the limit is %d", i, len(*e.Key), MaxKVSKeyBytes)
		case len(*e.Value) > MaxKVSValueBytes:
			return nil, fmt.Errorf("kvs: data[%d] (key %.40q): value is %d bytes, the limit is %d", i, *e.Key, len(*e.Value), MaxKVSValueBytes)
		case !utf8.ValidString(*e.Key) || !utf8.ValidString(*e.Value):
			return nil, fmt.Errorf("kvs: data[%d]: key and value must be valid UTF-8", i)
		}
		if _, dup := data[*e.Key]; dup {
			return nil, fmt.Errorf("kvs: data[%d]: duplicate key %.40q", i, *e.Key)
		}
		data[*e.Key] = *e.Value
		total += len(*e.Key) + len(*e.Value)
		if total > MaxKVSBytes {
			return nil, fmt.Errorf("kvs: store exceeds %d bytes at data[%d]", MaxKVSBytes, i)
		}
	}
	return NewKVS(data), nil
}

// Get returns the value stored under key.
func (k *KVS) Get(key string) (string, bool) {
	if k == nil {
		return "", false
	}
	v, ok := k.data[key]
	return v, ok
}

// Len is the number of keys.
func (k *KVS) Len() int {
	if k == nil {
		return 0
	}
	return len(k.data)
}

// Keys returns the keys in sorted order.
func (k *KVS) Keys() []string {
	if k == nil {
		return nil
	}
	keys := make([]string, 0, len(k.data))
	for key := range k.data {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	return keys
}

// MarshalJSON writes the store in the import-file format LoadKVS reads,
// keys in sorted order.
func (k *KVS) MarshalJSON() ([]byte, error) {
	type entry struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	}
	out := struct {
		Data []entry `json:"data"`
	}{Data: []entry{}}
	for _, key := range k.Keys() {
		out.Data = append(out.Data, entry{key, k.data[key]})
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads the import-file format, with LoadKVS's checks.
func (k *KVS) UnmarshalJSON(b []byte) error {
	loaded, err := LoadKVS(bytes.NewReader(b))
	if err != nil {
		return err
	}
	k.data, k.created, k.updated = loaded.data, loaded.created, loaded.updated
	k.hash.Store(nil)
	return nil
}

// contentHash is the SHA-256 of the store's contents (times, then keys in
// sorted order with their values), computed on first use: a store never
// changes after it is made.
func (k *KVS) contentHash() [sha256.Size]byte {
	if h := k.hash.Load(); h != nil {
		return *h
	}
	d := sha256.New()
	var n [8]byte
	field := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		d.Write(n[:])
		d.Write([]byte(s))
	}
	field(k.created.UTC().Format(time.RFC3339Nano))
	field(k.updated.UTC().Format(time.RFC3339Nano))
	for _, key := range k.Keys() {
		field(key)
		field(k.data[key])
	}
	var h [sha256.Size]byte
	d.Sum(h[:0])
	k.hash.Store(&h)
	return h
}

package emulator

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Namespace is the XML namespace of CloudFront API version 2020-05-31.
const Namespace = "http://cloudfront.amazonaws.com/doc/2020-05-31/"

// timeFormat is how timestamps are written (ISO 8601, milliseconds, UTC).
const timeFormat = "2006-01-02T15:04:05.000Z"

type xmlKVSAssoc struct {
	ARN string `xml:"KeyValueStoreARN"`
}

type xmlKVSAssocs struct {
	Items    *[]xmlKVSAssoc `xml:"Items>KeyValueStoreAssociation,omitempty"`
	Quantity int            `xml:"Quantity"`
}

type xmlConfig struct {
	Comment string        `xml:"Comment"`
	KVS     *xmlKVSAssocs `xml:"KeyValueStoreAssociations,omitempty"`
	Runtime string        `xml:"Runtime"`
}

type xmlSummary struct {
	XMLName          xml.Name
	Xmlns            string    `xml:"xmlns,attr,omitempty"`
	ARN              string    `xml:"ConnectionFunctionArn"`
	Config           xmlConfig `xml:"ConnectionFunctionConfig"`
	CreatedTime      string    `xml:"CreatedTime"`
	ID               string    `xml:"Id"`
	LastModifiedTime string    `xml:"LastModifiedTime"`
	Name             string    `xml:"Name"`
	Stage            string    `xml:"Stage"`
	Status           string    `xml:"Status"`
}

type xmlTestResult struct {
	XMLName      xml.Name   `xml:"ConnectionFunctionTestResult"`
	Xmlns        string     `xml:"xmlns,attr"`
	Utilization  string     `xml:"ComputeUtilization"`
	ErrorMessage string     `xml:"ConnectionFunctionErrorMessage"`
	Logs         xmlLogs    `xml:"ConnectionFunctionExecutionLogs"`
	Output       string     `xml:"ConnectionFunctionOutput"`
	Summary      xmlSummary `xml:"ConnectionFunctionSummary"`
}

// xmlLogs is always written, empty when there are no logs.
type xmlLogs struct {
	Members []string `xml:"member"`
}

type xmlList struct {
	XMLName    xml.Name     `xml:"ListConnectionFunctionsResult"`
	Xmlns      string       `xml:"xmlns,attr"`
	Functions  []xmlSummary `xml:"ConnectionFunctions>ConnectionFunctionSummary"`
	NextMarker string       `xml:"NextMarker,omitempty"`
}

type xmlDistributionList struct {
	XMLName     xml.Name `xml:"DistributionList"`
	Xmlns       string   `xml:"xmlns,attr"`
	Marker      string   `xml:"Marker"`
	MaxItems    int      `xml:"MaxItems"`
	IsTruncated bool     `xml:"IsTruncated"`
	Quantity    int      `xml:"Quantity"`
}

type xmlError struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Type    string   `xml:"Error>Type"`
	Code    string   `xml:"Error>Code"`
	Message string   `xml:"Error>Message"`
	ReqID   string   `xml:"RequestId"`
}

// summaryXML renders one stage of f as a ConnectionFunctionSummary element
// called elem ("" for a nested element whose name the parent's tag gives).
func summaryXML(f *function, stage string, v *version, elem string) xmlSummary {
	s := xmlSummary{
		ARN:              f.arn,
		Config:           configXML(v.config),
		CreatedTime:      formatTime(f.created),
		ID:               f.id,
		LastModifiedTime: formatTime(v.modified),
		Name:             f.name,
		Stage:            stage,
		Status:           v.status,
	}
	if elem != "" {
		s.XMLName = xml.Name{Local: elem}
		s.Xmlns = Namespace
	}
	return s
}

func configXML(c FunctionConfig) xmlConfig {
	x := xmlConfig{Comment: c.Comment, Runtime: c.Runtime}
	if c.KeyValueStoreARN != "" {
		x.KVS = &xmlKVSAssocs{Items: &[]xmlKVSAssoc{{ARN: c.KeyValueStoreARN}}, Quantity: 1}
	}
	return x
}

// xmlWriter is a reusable buffer and the XML encoder that writes into it;
// writeXML takes one from xmlWriters so that answering does not allocate a
// fresh encoder and buffer each time.
type xmlWriter struct {
	buf bytes.Buffer
	enc *xml.Encoder
}

var xmlWriters = sync.Pool{New: func() any {
	w := &xmlWriter{}
	w.enc = xml.NewEncoder(&w.buf)
	return w
}}

// maxPooledXMLBuffer is the largest buffer returned to xmlWriters.
const maxPooledXMLBuffer = 64 << 10

// writeXML writes v as an XML document with the given status.
func writeXML(w http.ResponseWriter, status int, v any) {
	x := xmlWriters.Get().(*xmlWriter)
	b := &x.buf
	b.Reset()
	b.WriteString(xml.Header)
	if err := x.enc.Encode(v); err != nil {
		// Every value written here is made of strings and ints, which
		// always encode; answer like an AWS internal error if not. The
		// encoder may hold part of v: do not reuse it.
		x = &xmlWriter{}
		b = &x.buf
		b.WriteString(xml.Header)
		_ = xml.NewEncoder(b).Encode(xmlError{Xmlns: Namespace, Type: "Receiver", Code: "InternalError", Message: msgInternal})
		status = http.StatusInternalServerError
	}
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
	if x.enc != nil && b.Cap() <= maxPooledXMLBuffer {
		xmlWriters.Put(x)
	}
}

// writeError writes e in CloudFront's ErrorResponse envelope.
func writeError(w http.ResponseWriter, e *APIError, reqID string) {
	writeXML(w, e.Status, xmlError{Xmlns: Namespace, Type: e.Type(), Code: e.Code, Message: e.Message, ReqID: reqID})
}

// formatTime formats t as the API's timestamps.
func formatTime(t time.Time) string { return t.UTC().Format(timeFormat) }

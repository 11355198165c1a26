package deploy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// Defaults for the datasource's time bounds.
const (
	DefaultAPITimeout   = 30 * time.Second
	DefaultChartTimeout = 60 * time.Second
)

// isTimeout says err is a request that got no answer in time (http.Client.Timeout, a dial or TLS timeout, a
// deadline); client-go and Helm often flatten these into strings, so the text is checked too.
func isTimeout(err error) bool {
	if err == nil {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "Client.Timeout exceeded") || strings.Contains(msg, "context deadline exceeded") ||
		strings.Contains(msg, "i/o timeout") || strings.Contains(msg, "TLS handshake timeout") ||
		strings.Contains(msg, "timeout awaiting response headers")
}

// noAnswer is the words a message adds when a request to the chart source timed out.
func noAnswer(err error, d time.Duration) string {
	if !isTimeout(err) || d <= 0 {
		return ""
	}
	return fmt.Sprintf(" (no answer within %s, the datasource's chart download timeout)", d)
}

// bounded names the API server that did not answer and after how long, for any error that is a request timeout.
func (s *Service) bounded(err error) error {
	if err == nil || !isTimeout(err) {
		return err
	}
	var de *Error
	if errors.As(err, &de) && (de.Code == CodeChartUnavailable || strings.Contains(de.Message, "did not answer within")) {
		return err
	}
	msg := err.Error()
	if de != nil {
		msg = de.Message
	}
	host := s.apiHost
	if host == "" {
		host = "(configured in the datasource)"
	}
	return &Error{Code: CodeClusterUnreachable, Err: err, Message: fmt.Sprintf(
		"the Kubernetes API server %s did not answer within %s (the datasource's Kubernetes request timeout): %s", host, s.APITimeout, msg)}
}

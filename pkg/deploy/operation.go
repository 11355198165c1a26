package deploy

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"
)

// Operation states.
const (
	OperationRunning   = "running"
	OperationSucceeded = "succeeded"
	OperationFailed    = "failed"
)

// Operation is one apply, rollback or recover. It runs to completion on a context of its own (bounded by
// Service.Timeout): a browser tab that closes or a proxy that cuts the request only stops the waiting, never Helm.
type Operation struct {
	ID        string     `json:"id"`
	Kind      string     `json:"kind"`
	Namespace string     `json:"namespace"`
	Name      string     `json:"name"`
	User      string     `json:"user"`
	State     string     `json:"state"`
	Started   time.Time  `json:"started"`
	Finished  *time.Time `json:"finished,omitempty"`
	// Release is read back from Helm's storage after the operation, not taken from Helm's return value.
	Release     *Release        `json:"release,omitempty"`
	Description string          `json:"description,omitempty"`
	Error       *OperationError `json:"error,omitempty"`
}

// OperationError is why an operation failed, with the same code and message its answer would have had.
type OperationError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Details []any  `json:"details,omitempty"`
}

// operations keeps the last operation per release of this Service.
type operations struct {
	mu   sync.Mutex
	last map[string]Operation
}

func (o *operations) set(op Operation) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.last == nil {
		o.last = map[string]Operation{}
	}
	o.last[op.Namespace+"/"+op.Name] = op
}

func (o *operations) get(namespace, name string) (Operation, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	op, ok := o.last[namespace+"/"+name]
	return op, ok
}

// Operation is the last apply, rollback or recover this Service ran on a release (the UI polls it after a 202).
func (s *Service) Operation(namespace, name string) (Operation, error) {
	if err := checkReleaseRef(namespace, name); err != nil {
		return Operation{}, err
	}
	op, ok := s.ops.get(namespace, name)
	if !ok {
		return Operation{}, errorf(CodeReleaseNotFound, nil, "no apply, rollback or recover of %s/%s ran from this Grafana since it started", namespace, name)
	}
	return op, nil
}

// Started is the answer for a caller that stopped waiting: the operation goes on, poll it.
type Started struct {
	Operation Operation
}

func (s *Started) Error() string {
	return fmt.Sprintf("%s of %s/%s is still running (operation %s)", s.Operation.Kind, s.Operation.Namespace, s.Operation.Name, s.Operation.ID)
}

// run starts fn detached from ctx, serialised per release in this process (Helm's storage arbitrates across
// processes: see pinRevision), and waits for it while ctx lasts. When ctx ends first it returns *Started.
func (s *Service) run(ctx context.Context, kind, namespace, name, user string, fn func(ctx context.Context) (*Result, error)) (*Result, error) {
	if err := checkReleaseRef(namespace, name); err != nil {
		return nil, err
	}
	m, _ := s.locks.LoadOrStore(namespace+"/"+name, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	if !mu.TryLock() {
		msg := fmt.Sprintf("another change of %s/%s from this Grafana is running", namespace, name)
		if op, ok := s.ops.get(namespace, name); ok && op.State == OperationRunning {
			msg = fmt.Sprintf("%s of %s/%s by Grafana user %q is running since %s (operation %s)", op.Kind, namespace, name, op.User, op.Started.UTC().Format(time.RFC3339), op.ID)
		}
		return nil, errorf(CodeReleasePending, nil, "%s: wait for it to finish, then plan again", msg)
	}
	op := Operation{ID: newOperationID(), Kind: kind, Namespace: namespace, Name: name, User: user, State: OperationRunning, Started: time.Now().UTC()}
	s.ops.set(op)
	snapshot := op // what a caller that stops waiting is told; the goroutine below owns op
	// Its own deadline, and no cancellation from the request (context.WithoutCancel keeps the request's values).
	opCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.Timeout)
	type outcome struct {
		res *Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		defer cancel()
		res, err := fn(opCtx)
		err = s.bounded(err)
		fin := time.Now().UTC()
		op.Finished = &fin
		if err != nil {
			op.State = OperationFailed
			op.Error = operationError(err)
		} else {
			op.State = OperationSucceeded
			rel := res.Release
			op.Release, op.Description = &rel, res.Description
		}
		s.ops.set(op)
		if s.Finished != nil {
			s.Finished(op)
		}
		// Unlocked before the answer: a caller that applies again right after its answer must not find it held.
		mu.Unlock()
		done <- outcome{res, err}
	}()
	select {
	case o := <-done:
		return o.res, o.err
	case <-ctx.Done():
		return nil, &Started{Operation: snapshot}
	}
}

func operationError(err error) *OperationError {
	if de, ok := err.(*Error); ok {
		return &OperationError{Code: de.Code, Message: de.Message, Details: de.Details}
	}
	return &OperationError{Code: CodeHelmFailed, Message: err.Error()}
}

func newOperationID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

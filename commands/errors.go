package commands

import "fmt"

// UserError is a refusal the member should read: a catalog key and its named arguments.
// Handlers return it for bad input or a forbidden action; the router shows it ephemerally.
type UserError struct {
	Key  string
	Args []any // name, value pairs for the catalog placeholders
}

func (e *UserError) Error() string { return fmt.Sprintf("user error %s %v", e.Key, e.Args) }

// Fail returns a UserError for the catalog key with name/value argument pairs.
func Fail(key string, args ...any) *UserError { return &UserError{Key: key, Args: args} }

package assurance

// Status is an order state code of POLICY.md section 2.
type Status string

// The order states of POLICY.md section 2.
const (
	AwaitingConfirmation Status = "awaiting_confirmation"
	AwaitingPayment      Status = "awaiting_payment"
	PaymentProcessing    Status = "payment_processing"
	AwaitingBalance      Status = "awaiting_balance"
	AwaitingShipment     Status = "awaiting_shipment"
	InTransit            Status = "in_transit"
	Received             Status = "received"
	InDispute            Status = "in_dispute"
	DisputeEscalated     Status = "dispute_escalated"
	RefundPending        Status = "refund_pending"
	Completed            Status = "completed"
	Refunded             Status = "refunded"
	Cancelled            Status = "cancelled"
)

// Statuses lists every order state in lifecycle order.
var Statuses = []Status{
	AwaitingConfirmation, AwaitingPayment, PaymentProcessing, AwaitingBalance, AwaitingShipment,
	InTransit, Received, InDispute, DisputeEscalated, RefundPending, Completed, Refunded, Cancelled,
}

// Valid reports whether s is a known state code.
func (s Status) Valid() bool {
	for _, k := range Statuses {
		if k == s {
			return true
		}
	}
	return false
}

// Terminal reports whether no ordinary transition leaves s.
func (s Status) Terminal() bool { return s == Completed || s == Refunded || s == Cancelled }

// Role is what a member is to an order: its buyer, an agent of the server, a moderator, or nobody.
type Role string

// The roles of POLICY.md section 1.
const (
	RoleBuyer     Role = "buyer"
	RoleAgent     Role = "agent"
	RoleModerator Role = "moderator"
	RoleNone      Role = "none"
)

// OrderRules holds the order-lifecycle numbers of POLICY.md section 2 and 2.1 (policy data).
type OrderRules struct {
	AutoCancelUnconfirmedDays int `json:"auto_cancel_unconfirmed_days"` // 30
	AutoCancelUnpaidDays      int `json:"auto_cancel_unpaid_days"`      // 60
	ChangeRequestExpiryDays   int `json:"change_request_expiry_days"`   // 7
	ShipDateMaxShiftDays      int `json:"ship_date_max_shift_days"`     // 90
	ReceiptExtensionDays      int `json:"receipt_extension_days"`       // 15
}

package discordfake

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
)

// Gateway close codes the fake uses.
const (
	closeUnknownOpcode     = 4001
	closeDecodeError       = 4002
	closeAuthFailed        = 4004
	closeInvalidVersion    = 4012
	closeDisallowedIntents = 4014
)

// privileged are the intents a bot must be approved for; the fake's application is not.
const privileged = discordgo.IntentGuildMembers | discordgo.IntentGuildPresences | discordgo.IntentMessageContent

// errNoGateway is returned by Dispatch when no session is connected.
var errNoGateway = errors.New("discordfake: no gateway session is connected")

// gatewayConn is one WebSocket connection; writes are serialised by wmu.
type gatewayConn struct {
	ws  *websocket.Conn
	wmu sync.Mutex
}

// frame is a gateway payload.
type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// gatewayURL is what GET /gateway announces: discordgo appends "/?v=9&encoding=json" (after a slash).
func (f *Fake) gatewayURL() string { return "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gateway" }

// serveGateway speaks the gateway protocol on one connection: HELLO, then IDENTIFY (answered with READY) or
// RESUME (answered with RESUMED), heartbeats answered with ACKs, until either side closes.
func (f *Fake) serveGateway(w http.ResponseWriter, r *http.Request) {
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	c := &gatewayConn{ws: ws}
	f.mu.Lock()
	select {
	case <-f.closing:
		f.mu.Unlock()
		_ = ws.Close()
		return
	default:
	}
	f.handlers.Add(1)
	defer f.handlers.Done()
	f.conns = append(f.conns, c)
	f.log.Connects++
	f.changedLocked()
	f.mu.Unlock()

	if q := r.URL.Query(); q.Get("v") != discordgo.APIVersion || q.Get("encoding") != "json" {
		f.closeConn(c, closeInvalidVersion)
		return
	}
	if err := f.write(c, 10, map[string]any{"heartbeat_interval": f.heartbeat.Milliseconds()}); err != nil {
		f.ended(c, websocket.CloseAbnormalClosure, false)
		return
	}
	for {
		mt, msg, err := ws.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				f.ended(c, ce.Code, true)
			} else {
				f.ended(c, websocket.CloseAbnormalClosure, false)
			}
			return
		}
		var fr frame
		if mt != websocket.TextMessage || json.Unmarshal(msg, &fr) != nil {
			f.closeConn(c, closeDecodeError)
			return
		}
		if !f.handle(c, fr) {
			return
		}
	}
}

// handle answers one payload from the session; it reports false when it closed the connection.
func (f *Fake) handle(c *gatewayConn, fr frame) bool {
	switch fr.Op {
	case 1: // heartbeat
		hb := Heartbeat{At: time.Now()}
		if string(fr.D) != "null" {
			var seq int64
			if json.Unmarshal(fr.D, &seq) == nil {
				hb.Seq = &seq
			}
		}
		f.mu.Lock()
		f.log.Heartbeats = append(f.log.Heartbeats, hb)
		f.changedLocked()
		f.mu.Unlock()
		return f.write(c, 11, nil) == nil
	case 2: // identify
		var id Identify
		if err := json.Unmarshal(fr.D, &id); err != nil {
			f.closeConn(c, closeDecodeError)
			return false
		}
		id.At = time.Now()
		f.mu.Lock()
		f.log.Identifies = append(f.log.Identifies, id)
		f.changedLocked()
		f.mu.Unlock()
		switch {
		case id.Token != Token && id.Token != Secret:
			f.closeConn(c, closeAuthFailed)
			return false
		case id.Intents&privileged != 0:
			f.closeConn(c, closeDisallowedIntents)
			return false
		}
		f.mu.Lock()
		f.seq = 0 // a new session
		f.mu.Unlock()
		ready := map[string]any{
			"v": 9, "session_id": SessionID, "resume_gateway_url": f.gatewayURL(),
			"user":             map[string]any{"id": AppID, "username": BotName, "discriminator": "0", "bot": true},
			"application":      map[string]any{"id": AppID, "flags": 0},
			"guilds":           []map[string]any{{"id": Guild, "unavailable": true}},
			"private_channels": []any{},
		}
		if id.Shard != nil {
			ready["shard"] = id.Shard
		}
		return f.established(c, "READY", ready)
	case 6: // resume
		var res struct {
			Token     string `json:"token"`
			SessionID string `json:"session_id"`
		}
		if err := json.Unmarshal(fr.D, &res); err != nil {
			f.closeConn(c, closeDecodeError)
			return false
		}
		if res.Token != Token && res.Token != Secret {
			f.closeConn(c, closeAuthFailed)
			return false
		}
		if res.SessionID != SessionID {
			return f.write(c, 9, false) == nil // invalid session: identify again
		}
		f.mu.Lock()
		f.log.Resumes++
		f.changedLocked()
		f.mu.Unlock()
		return f.established(c, "RESUMED", map[string]any{})
	default:
		f.closeConn(c, closeUnknownOpcode)
		return false
	}
}

// established sends READY or RESUMED and makes c the connection dispatches go to (before the event is written,
// so that a session whose Open has returned can be sent dispatches at once).
func (f *Fake) established(c *gatewayConn, event string, d any) bool {
	_, err := f.send(c, event, d, true)
	return err == nil
}

// Dispatch sends an op 0 event with the next sequence number to the connected session and returns that number.
func (f *Fake) Dispatch(event string, d any) (int64, error) {
	f.mu.Lock()
	c := f.conn
	f.mu.Unlock()
	if c == nil {
		return 0, errNoGateway
	}
	return f.send(c, event, d, false)
}

// send writes a dispatch, numbering and recording it while holding the connection's write lock so that
// sequence numbers reach the session in order; establish makes c the current connection.
func (f *Fake) send(c *gatewayConn, event string, d any, establish bool) (int64, error) {
	data, err := json.Marshal(d)
	if err != nil {
		return 0, fmt.Errorf("discordfake: encode %s: %w", event, err)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	f.mu.Lock()
	f.seq++
	seq := f.seq
	f.log.Dispatches = append(f.log.Dispatches, Dispatch{Seq: seq, Event: event, At: time.Now()})
	if establish {
		f.conn = c
	}
	f.changedLocked()
	f.mu.Unlock()
	b, err := json.Marshal(frame{Op: 0, D: data, S: &seq, T: event})
	if err != nil {
		return 0, err
	}
	if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		return 0, fmt.Errorf("discordfake: send %s: %w", event, err)
	}
	return seq, nil
}

// write sends a non-dispatch payload (text frame, as discordgo treats binary frames as zlib).
func (f *Fake) write(c *gatewayConn, op int, d any) error {
	data, err := json.Marshal(d)
	if err != nil {
		return err
	}
	b, err := json.Marshal(frame{Op: op, D: data})
	if err != nil {
		return err
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

// closeConn closes the connection from the fake's side with a gateway close code. The close is recorded first:
// the session may act on the close frame at once.
func (f *Fake) closeConn(c *gatewayConn, code int) {
	f.record(c, code, false)
	c.wmu.Lock()
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, ""), time.Now().Add(time.Second))
	c.wmu.Unlock()
	_ = c.ws.Close()
}

// ended records the end of a connection the session closed or lost, and closes it.
func (f *Fake) ended(c *gatewayConn, code int, byClient bool) {
	f.record(c, code, byClient)
	_ = c.ws.Close()
}

// record notes the end of a connection; dispatches no longer go to it.
func (f *Fake) record(c *gatewayConn, code int, byClient bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.conn == c {
		f.conn = nil
	}
	select {
	case <-f.closing:
		return // the fake is shutting down: not the session's doing
	default:
	}
	f.log.Closes = append(f.log.Closes, Close{Code: code, ByClient: byClient, At: time.Now()})
	f.changedLocked()
}

package discordfake

import (
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Discord's JSON error codes the fake answers with.
const (
	codeUnknownWebhook     = 10015
	codeUnknownMessage     = 10008
	codeUnknownInteraction = 10062
	codeMissingAccess      = 50001
	codeInvalidFormBody    = 50035
	codeAlreadyAcked       = 40060
)

// reply is a handler's answer: a status and a JSON body (none when nil).
type reply struct {
	status int
	body   any
}

func apiError(status, code int, msg string) reply {
	return reply{status, map[string]any{"message": msg, "code": code}}
}

// routeHandler answers one request; it runs without f.mu held.
type routeHandler func(r *http.Request, rec *Request) reply

// mux serves the REST routes under /api/v9 and the gateway WebSocket.
func (f *Fake) mux() http.Handler {
	api := "/api/v" + discordgo.APIVersion
	m := http.NewServeMux()
	m.HandleFunc("GET /gateway/", f.serveGateway)
	m.HandleFunc("GET "+api+"/gateway", f.route(RouteGateway, false, f.gateway))
	m.HandleFunc("GET "+api+"/gateway/bot", f.route(RouteGateway, true, f.gateway))
	m.HandleFunc("POST "+api+"/interactions/{id}/{token}/callback", f.route(RouteCallback, false, f.callback))
	m.HandleFunc("PATCH "+api+"/webhooks/{app}/{token}/messages/{msg}", f.route(RouteEditMessage, false, f.webhook(f.editMessage)))
	m.HandleFunc("POST "+api+"/webhooks/{app}/{token}", f.route(RouteFollowup, false, f.webhook(f.followup)))
	m.HandleFunc("PUT "+api+"/applications/{app}/commands", f.route(RouteCommands, true, f.commands))
	m.HandleFunc("PUT "+api+"/applications/{app}/guilds/{guild}/commands", f.route(RouteCommands, true, f.commands))
	m.HandleFunc("POST "+api+"/channels/{channel}/messages", f.route(RouteChannelMessage, true, f.channelMessage))
	m.HandleFunc("/", f.route(RouteUnknown, false, func(*http.Request, *Request) reply {
		return apiError(http.StatusNotFound, 0, "404: Not Found")
	}))
	return m
}

// route records a request on arrival, applies a pending fault and the bot-token check, runs h, and records
// the status it answered.
func (f *Fake) route(name Route, botAuth bool, h routeHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 8<<20))
		if err != nil {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		rec := Request{
			Route: name, Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(),
			Body: body, At: time.Now(), MessageID: r.PathValue("msg"), Guild: r.PathValue("guild"),
			Channel: r.PathValue("channel"), Interaction: r.PathValue("id"),
		}
		f.mu.Lock()
		if ix := f.byToken(r.PathValue("token")); ix != nil && rec.Interaction == "" {
			rec.Interaction = ix.id
		}
		i := len(f.log.Requests)
		f.log.Requests = append(f.log.Requests, rec)
		ft, faulty := f.takeFaultLocked(name)
		f.changedLocked()
		f.mu.Unlock()

		var out reply
		switch {
		case faulty && ft.stall:
			select {
			case <-r.Context().Done():
			case <-f.closing:
			}
			out = reply{status: StatusClientGone}
		case faulty:
			out = rateLimited(w, name, ft.retryAfter)
		case botAuth && r.Header.Get("Authorization") != Token:
			out = apiError(http.StatusUnauthorized, 0, "401: Unauthorized")
		default:
			out = h(r, &rec)
		}
		rec.Status = out.status
		f.mu.Lock()
		f.log.Requests[i] = rec
		f.changedLocked()
		f.mu.Unlock()
		if out.status == StatusClientGone {
			return
		}
		writeJSON(w, out)
	}
}

// rateLimited sets the headers of a 429 and returns its body, as Discord sends them for a per-route limit.
func rateLimited(w http.ResponseWriter, route Route, after time.Duration) reply {
	secs := after.Seconds()
	h := w.Header()
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs)))) // whole seconds, as HTTP defines it
	h.Set("X-RateLimit-Limit", "1")
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(time.Now().Add(after).UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(secs, 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", "fake-"+string(route))
	h.Set("X-RateLimit-Scope", "user")
	return reply{http.StatusTooManyRequests, map[string]any{
		"message": "You are being rate limited.", "retry_after": secs, "global": false,
	}}
}

func writeJSON(w http.ResponseWriter, out reply) {
	if out.body == nil {
		w.WriteHeader(out.status)
		return
	}
	b, err := json.Marshal(out.body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(out.status)
	_, _ = w.Write(b)
}

// byToken finds the interaction of a token; f.mu must be held.
func (f *Fake) byToken(token string) *interaction {
	if token == "" {
		return nil
	}
	for _, ix := range f.interactions {
		if ix.token == token {
			return ix
		}
	}
	return nil
}

func (f *Fake) gateway(r *http.Request, _ *Request) reply {
	body := map[string]any{"url": f.gatewayURL()}
	if r.URL.Path != "/api/v"+discordgo.APIVersion+"/gateway" {
		body["shards"] = 1
		body["session_start_limit"] = map[string]any{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
	}
	return reply{http.StatusOK, body}
}

// callback acknowledges an interaction once, with a response type its interaction type allows.
func (f *Fake) callback(r *http.Request, rec *Request) reply {
	var cb struct {
		Type discordgo.InteractionResponseType `json:"type"`
	}
	if err := json.Unmarshal(rec.Body, &cb); err != nil {
		return apiError(http.StatusBadRequest, codeInvalidFormBody, "Invalid Form Body")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	ix := f.interactions[rec.Interaction]
	switch {
	case ix == nil || ix.token != r.PathValue("token"):
		return apiError(http.StatusNotFound, codeUnknownInteraction, "Unknown interaction")
	case ix.acked:
		return apiError(http.StatusBadRequest, codeAlreadyAcked, "Interaction has already been acknowledged.")
	case !allowedCallback(ix.typ, cb.Type):
		return apiError(http.StatusBadRequest, codeInvalidFormBody, "Invalid Form Body (interaction response type)")
	}
	ix.acked = true
	return reply{status: http.StatusNoContent}
}

// allowedCallback reports whether Discord accepts a response type for an interaction type.
func allowedCallback(in discordgo.InteractionType, resp discordgo.InteractionResponseType) bool {
	switch resp {
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseDeferredChannelMessageWithSource:
		return in != discordgo.InteractionApplicationCommandAutocomplete
	case discordgo.InteractionResponseDeferredMessageUpdate, discordgo.InteractionResponseUpdateMessage:
		return in == discordgo.InteractionMessageComponent || in == discordgo.InteractionModalSubmit
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		return in == discordgo.InteractionApplicationCommandAutocomplete
	case discordgo.InteractionResponseModal:
		return in == discordgo.InteractionApplicationCommand || in == discordgo.InteractionMessageComponent
	}
	return false
}

// webhook runs h, with f.mu held, for the acknowledged interaction a webhook route addresses, or answers what
// Discord would.
func (f *Fake) webhook(h func(ix *interaction, rec *Request) reply) routeHandler {
	return func(r *http.Request, rec *Request) reply {
		f.mu.Lock()
		defer f.mu.Unlock()
		ix := f.byToken(r.PathValue("token"))
		if r.PathValue("app") != AppID || ix == nil || !ix.acked {
			return apiError(http.StatusNotFound, codeUnknownWebhook, "Unknown Webhook")
		}
		return h(ix, rec)
	}
}

// editMessage edits the original response or a follow-up.
func (f *Fake) editMessage(ix *interaction, rec *Request) reply {
	id := rec.MessageID
	if id == "@original" {
		id = ix.id // the original response's message, for a fake that keeps no messages
	} else if !ix.followups[id] {
		return apiError(http.StatusNotFound, codeUnknownMessage, "Unknown Message")
	}
	return f.messageLocked(rec.Body, id, Channel)
}

// followup posts a follow-up message.
func (f *Fake) followup(ix *interaction, rec *Request) reply {
	id := f.snowflakeLocked()
	out := f.messageLocked(rec.Body, id, Channel)
	if out.status == http.StatusOK {
		ix.followups[id] = true
	}
	if rec.Query.Get("wait") != "true" {
		out.body, out.status = nil, http.StatusNoContent
	}
	return out
}

// commands answers a bulk overwrite with the commands as created.
func (f *Fake) commands(r *http.Request, rec *Request) reply {
	if r.PathValue("app") != AppID {
		return apiError(http.StatusForbidden, codeMissingAccess, "Missing Access")
	}
	var cmds []map[string]any
	if err := json.Unmarshal(rec.Body, &cmds); err != nil {
		return apiError(http.StatusBadRequest, codeInvalidFormBody, "Invalid Form Body")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range cmds {
		c["id"], c["application_id"], c["version"] = f.snowflakeLocked(), AppID, f.snowflakeLocked()
		if rec.Guild != "" {
			c["guild_id"] = rec.Guild
		}
	}
	return reply{http.StatusOK, cmds}
}

// channelMessage posts a message in a channel.
func (f *Fake) channelMessage(_ *http.Request, rec *Request) reply {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.messageLocked(rec.Body, f.snowflakeLocked(), rec.Channel)
}

// messageLocked turns a message body into the message Discord would return; f.mu must be held.
func (f *Fake) messageLocked(body []byte, id, channel string) reply {
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil || m == nil {
		return apiError(http.StatusBadRequest, codeInvalidFormBody, "Invalid Form Body")
	}
	m["id"], m["channel_id"], m["type"] = id, channel, 0
	m["author"] = map[string]any{"id": AppID, "username": BotName, "bot": true}
	m["timestamp"] = time.Now().UTC().Format(time.RFC3339)
	return reply{http.StatusOK, m}
}

package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/commands"
	"github.com/tradeguard/tradeguard/state"
)

// Registration bulk-overwrites the command definitions, globally or in one server, only when they changed
// since the last registration recorded in Redis (Discord allows 200 creates a day per server).
type Registration struct {
	Session *discordgo.Session
	Store   *state.Store
	AppID   string
	GuildID string // "" registers globally
}

// DefinitionsHash is the SHA-256 of the definitions' JSON.
func DefinitionsHash(defs []*discordgo.ApplicationCommand) (string, error) {
	b, err := json.Marshal(defs)
	if err != nil {
		return "", fmt.Errorf("encode definitions: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// Run validates and registers defs; it reports whether anything was sent to Discord.
func (r *Registration) Run(ctx context.Context, defs []*discordgo.ApplicationCommand, force bool) (bool, error) {
	var errs []error
	for _, d := range defs {
		if err := commands.ValidateCommand(d); err != nil {
			errs = append(errs, fmt.Errorf("/%s: %w", d.Name, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return false, fmt.Errorf("invalid command definitions: %w", err)
	}
	hash, err := DefinitionsHash(defs)
	if err != nil {
		return false, err
	}
	if !force {
		last, err := r.Store.RegisteredHash(ctx, r.AppID, r.GuildID)
		if err != nil {
			return false, err
		}
		if last == hash {
			return false, nil
		}
	}
	if _, err := r.Session.ApplicationCommandBulkOverwrite(r.AppID, r.GuildID, defs, discordgo.WithContext(ctx)); err != nil {
		return false, fmt.Errorf("bulk overwrite commands: %w", err)
	}
	if err := r.Store.SaveRegisteredHash(ctx, r.AppID, r.GuildID, hash); err != nil {
		return true, err
	}
	return true, nil
}

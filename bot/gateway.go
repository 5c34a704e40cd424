package bot

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/bwmarrin/discordgo"

	"github.com/tradeguard/tradeguard/commands"
)

// Gateway connects to Discord's gateway and feeds interactions into the router.
type Gateway struct {
	Session *discordgo.Session
	Router  *commands.Router
	Log     *slog.Logger
}

// NewSession returns a discordgo session for the token that asks for no intent beyond Guilds
// (interactions belong to no intent) and never for a privileged one.
func NewSession(botToken string, shardID, shardCount int) (*discordgo.Session, error) {
	s, err := discordgo.New(botToken)
	if err != nil {
		return nil, fmt.Errorf("discord session: %w", err)
	}
	s.Identify.Intents = discordgo.IntentsGuilds
	s.ShardID, s.ShardCount = shardID, shardCount
	s.StateEnabled = false
	return s, nil
}

// Run opens the gateway, answers interactions until ctx ends, then closes the connection.
func (g *Gateway) Run(ctx context.Context) error {
	remove := g.Session.AddHandler(func(s *discordgo.Session, ic *discordgo.InteractionCreate) {
		if err := g.Router.Dispatch(ctx, ic.Interaction, &RESTResponder{Session: s, In: ic.Interaction}); err != nil {
			g.Log.Error("answer interaction", "interaction", ic.ID, "err", err)
		}
	})
	defer remove()
	ready := g.Session.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
		g.Log.Info("gateway ready", "user", r.User.Username, "guilds", len(r.Guilds), "shard", g.Session.ShardID)
	})
	defer ready()
	if err := g.Session.Open(); err != nil {
		return fmt.Errorf("open gateway: %w", err)
	}
	<-ctx.Done()
	if err := g.Session.Close(); err != nil {
		return fmt.Errorf("close gateway: %w", err)
	}
	return nil
}

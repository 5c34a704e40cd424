package state

import (
	"context"
	"fmt"
)

// Settings are one server's TradeGuard settings.
type Settings struct {
	AgentRole      string // role ID whose members are agents
	UpdatesChannel string // channel ID where order events are announced
	Locale         string // language of public announcements ("en", "zh-TW", "zh-CN")
}

var settingsFields = []string{"agent_role", "updates_channel", "locale"}

func decodeSettings(vals []any) Settings {
	str := func(i int) string { v, _ := vals[i].(string); return v }
	return Settings{AgentRole: str(0), UpdatesChannel: str(1), Locale: str(2)}
}

// Settings loads a server's settings; a server that never ran /setup gets the zero Settings.
func (s *Store) Settings(ctx context.Context, guild string) (Settings, error) {
	vals, err := s.rdb.HMGet(ctx, s.guildKey(guild, "settings"), settingsFields...).Result()
	if err != nil {
		return Settings{}, wrap("load settings of "+guild, err)
	}
	return decodeSettings(vals), nil
}

// SaveSettings writes a server's settings in one command.
func (s *Store) SaveSettings(ctx context.Context, guild string, st Settings) error {
	err := s.rdb.HSet(ctx, s.guildKey(guild, "settings"),
		settingsFields[0], st.AgentRole, settingsFields[1], st.UpdatesChannel, settingsFields[2], st.Locale).Err()
	if err != nil {
		return wrap(fmt.Sprintf("save settings of %s", guild), err)
	}
	return nil
}

// SaveSetting writes one setting ("agent_role", "updates_channel" or "locale") without touching the others.
func (s *Store) SaveSetting(ctx context.Context, guild, field, value string) error {
	if err := s.rdb.HSet(ctx, s.guildKey(guild, "settings"), field, value).Err(); err != nil {
		return wrap(fmt.Sprintf("save setting %s of %s", field, guild), err)
	}
	return nil
}

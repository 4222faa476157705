-- What the owner saw live is what is stored: a running turn's text blocks are gathered beside its
-- tool calls, in arrival order, and the reply keeps them in order (message.blocks).
ALTER TABLE turn_tool_call RENAME TO turn_part;
ALTER TABLE turn_part RENAME COLUMN tool_use_id TO part_key;
ALTER TABLE turn_part ADD COLUMN kind text NOT NULL DEFAULT 'tool' CHECK (kind IN ('tool', 'text'));
ALTER TABLE turn_part ADD COLUMN text text;
ALTER TABLE turn_part ALTER COLUMN name DROP NOT NULL;
ALTER TABLE turn_part ALTER COLUMN input DROP NOT NULL;
ALTER TABLE message ADD COLUMN blocks jsonb;

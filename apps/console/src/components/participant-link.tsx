import { Anchor } from '@mantine/core';
import { Link } from 'react-router';

/** A participant's id, linking to its page. */
export function ParticipantLink({ id }: { id: string }) {
  return (
    <Anchor component={Link} to={`/participants/${encodeURIComponent(id)}`}>
      {id}
    </Anchor>
  );
}

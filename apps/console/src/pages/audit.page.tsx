import { Alert, Button, Code, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditItem, AuditSearch } from '../api/admin-api';
import { ProblemAlert } from '../components/problem-alert';
import { VerifyChainPanel } from '../components/verify-chain.panel';
import { useSession } from '../session';

/** Items shown per "Show more". */
const PAGE = 50;
const MEMBERS = ['actor', 'action', 'subject'] as const;

type Listing = { items: AuditItem[]; next: number; done: boolean };

/** The audit record, searchable by actor, action and subject, and the check of its hash chain. */
export function AuditPage() {
  const { t } = useTranslation();
  const { api, admin } = useSession();
  const [fields, setFields] = useState<Required<AuditSearch>>({ actor: '', action: '', subject: '' });
  const [search, setSearch] = useState<AuditSearch>({});
  const [listing, setListing] = useState<Listing>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<Error>();
  // The newest load: an answer to an older search is dropped.
  const round = useRef(0);

  const load = useCallback(
    async (from: Listing | undefined, wanted: AuditSearch) => {
      const mine = ++round.current;
      setLoading(true);
      setError(undefined);
      try {
        const found: AuditItem[] = [];
        let after = from?.next ?? 0;
        let done = false;
        // A search's page may hold none of the matches while more follow: read on by `next`.
        while (found.length < PAGE) {
          const page = await api.audit(after, PAGE, wanted);
          found.push(...page.items);
          if (page.next === after) {
            done = true;
            break;
          }
          after = page.next;
        }
        if (mine === round.current)
          setListing({ items: [...(from?.items ?? []), ...found], next: after, done });
      } catch (failure) {
        if (mine === round.current) setError(failure as Error);
      } finally {
        if (mine === round.current) setLoading(false);
      }
    },
    [api],
  );

  const mayRead = admin.role !== 'country-admin';
  useEffect(() => {
    if (mayRead) void load(undefined, search);
  }, [load, search, mayRead]);

  if (!mayRead) {
    return (
      <Stack>
        <Title order={1}>{t('audit.title')}</Title>
        <Alert color="red" role="alert" title={t('audit.notAllowed.title')}>
          {t('audit.notAllowed.body')}
        </Alert>
      </Stack>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setListing(undefined);
    setSearch(Object.fromEntries(MEMBERS.map((m) => [m, fields[m].trim() || undefined])));
  };
  const clear = () => {
    setFields({ actor: '', action: '', subject: '' });
    setListing(undefined);
    setSearch({});
  };
  const searching = MEMBERS.some((m) => search[m] !== undefined);

  return (
    <Stack>
      <Title order={1}>{t('audit.title')}</Title>
      <Text>{t('audit.intro')}</Text>
      <VerifyChainPanel />
      <form onSubmit={submit} aria-label={t('audit.search.label')}>
        <Group align="end" wrap="wrap">
          {MEMBERS.map((member) => (
            <TextInput
              key={member}
              label={t(`audit.column.${member}`)}
              description={t(`audit.search.example.${member}`)}
              value={fields[member]}
              onChange={(event) => setFields({ ...fields, [member]: event.currentTarget.value })}
              maxLength={200}
            />
          ))}
          <Button type="submit">{t('audit.search.submit')}</Button>
          <Button variant="default" onClick={clear}>
            {t('audit.search.clear')}
          </Button>
        </Group>
        <Text size="sm" mt="xs">
          {t('audit.search.exact')}
        </Text>
      </form>
      <ProblemAlert error={error} />
      {listing === undefined && loading && <Loader aria-label={t('loading')} />}
      {listing !== undefined && (
        <>
          <Text role="status" data-testid="audit-count">
            {searching
              ? t('audit.shownMatching', { count: listing.items.length })
              : t('audit.shown', { count: listing.items.length })}
          </Text>
          {listing.items.length > 0 && <AuditTable items={listing.items} />}
          {!listing.done && (
            <Button variant="default" onClick={() => void load(listing, search)} loading={loading}>
              {t('audit.more')}
            </Button>
          )}
        </>
      )}
    </Stack>
  );
}

function AuditTable({ items }: { items: AuditItem[] }) {
  const { t } = useTranslation();
  return (
    // A plain scrolling region that takes the focus: a keyboard scrolls it as a mouse does.
    <Table.ScrollContainer
      minWidth={960}
      type="native"
      tabIndex={0}
      role="region"
      aria-label={t('audit.itemsLabel')}
    >
      <Table striped withTableBorder data-testid="audit-items">
        <Table.Thead>
          <Table.Tr>
            {(['seq', 'at', 'actor', 'action', 'subject', 'details'] as const).map((column) => (
              <Table.Th key={column}>{t(`audit.column.${column}`)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={item.seq}>
              <Table.Td>{item.seq}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <time dateTime={item.at}>{item.at}</time>
              </Table.Td>
              <Table.Td>{item.actor}</Table.Td>
              <Table.Td>{item.action}</Table.Td>
              <Table.Td>{item.subject}</Table.Td>
              <Table.Td miw={220} maw={320}>
                {item.details !== undefined && (
                  <Code style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                    {JSON.stringify(item.details)}
                  </Code>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

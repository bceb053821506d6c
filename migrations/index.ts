// Every migration, in the order it runs. Listed by hand (no glob) so the order is explicit.
import { CreateCoreSchema1795694000000 } from './1795694000000-CreateCoreSchema';
import { CreateTicketAttachments1795696831779 } from './1795696831779-CreateTicketAttachments';
import { AddOpenTicketIndexes1795706149529 } from './1795706149529-AddOpenTicketIndexes';
import { AddPasswordChangeRequired1796500000000 } from './1796500000000-AddPasswordChangeRequired';
import { AddProductVersionsAndChannels1796500100000 } from './1796500100000-AddProductVersionsAndChannels';
import { CreateContactsAndOrganisations1796500200000 } from './1796500200000-CreateContactsAndOrganisations';
import { AddUnassignedIndex1796500300000 } from './1796500300000-AddUnassignedIndex';
import { AddCallbackDueAt1796500400000 } from './1796500400000-AddCallbackDueAt';
import { AddCallRecordings1796500500000 } from './1796500500000-AddCallRecordings';
import { CreateBlockedNumbers1796500600000 } from './1796500600000-CreateBlockedNumbers';
import { CreatePresenceAndPauses1796500700000 } from './1796500700000-CreatePresenceAndPauses';
import { CreateReviewResolutions1796500710000 } from './1796500710000-CreateReviewResolutions';
import { AddReviewIndexes1796500720000 } from './1796500720000-AddReviewIndexes';
import { AddJournalReportIndex1796500800000 } from './1796500800000-AddJournalReportIndex';
import { CreateMailIntake1796500900000 } from './1796500900000-CreateMailIntake';
import { CreateMailOutboxAndCustomerLinks1796500950000 } from './1796500950000-CreateMailOutboxAndCustomerLinks';
import { CreateReportAggregates1796501000000 } from './1796501000000-CreateReportAggregates';
import { CreateLoginLimits1796501100000 } from './1796501100000-CreateLoginLimits';
import { CreateAuditLog1796501110000 } from './1796501110000-CreateAuditLog';
import { CreatePbxLease1796501200000 } from './1796501200000-CreatePbxLease';
import { AddCoveringListIndexes1796501300000 } from './1796501300000-AddCoveringListIndexes';
import { CreateRateCounts1796501400000 } from './1796501400000-CreateRateCounts';
import { CreateTicketAssignees1796502300000 } from './1796502300000-CreateTicketAssignees';
import { AddCriticalSearchIndex1796502310000 } from './1796502310000-AddCriticalSearchIndex';
import { AddAgentSearchIndexes1796502400000 } from './1796502400000-AddAgentSearchIndexes';
import { AssigneeRowsPerStatement1796502600000 } from './1796502600000-AssigneeRowsPerStatement';
import { DropRedundantTicketIndexes1796502610000 } from './1796502610000-DropRedundantTicketIndexes';
import { AddMissedCallsIndex1796502700000 } from './1796502700000-AddMissedCallsIndex';
import { AddAgentWordIndex1796502800000 } from './1796502800000-AddAgentWordIndex';
import { DropRedundantSearchIndex1796502810000 } from './1796502810000-DropRedundantSearchIndex';
import { AddCustomerWroteAt1796502900000 } from './1796502900000-AddCustomerWroteAt';
import { AddCustomerWaitsIndex1796503000000 } from './1796503000000-AddCustomerWaitsIndex';
import { AddSenderEmail1796503100000 } from './1796503100000-AddSenderEmail';

export const migrations = [
  CreateCoreSchema1795694000000, CreateTicketAttachments1795696831779, AddOpenTicketIndexes1795706149529, AddPasswordChangeRequired1796500000000,
  AddProductVersionsAndChannels1796500100000,
  CreateContactsAndOrganisations1796500200000,
  AddUnassignedIndex1796500300000,
  AddCallbackDueAt1796500400000,
  AddCallRecordings1796500500000,
  CreateBlockedNumbers1796500600000,
  CreatePresenceAndPauses1796500700000,
  CreateReviewResolutions1796500710000,
  AddReviewIndexes1796500720000,
  AddJournalReportIndex1796500800000,
  CreateMailIntake1796500900000,
  CreateMailOutboxAndCustomerLinks1796500950000,
  CreateReportAggregates1796501000000,
  CreateLoginLimits1796501100000,
  CreateAuditLog1796501110000,
  CreatePbxLease1796501200000,
  AddCoveringListIndexes1796501300000,
  CreateRateCounts1796501400000,
  CreateTicketAssignees1796502300000,
  AddCriticalSearchIndex1796502310000,
  AddAgentSearchIndexes1796502400000,
  AssigneeRowsPerStatement1796502600000,
  DropRedundantTicketIndexes1796502610000,
  AddMissedCallsIndex1796502700000,
  AddAgentWordIndex1796502800000,
  DropRedundantSearchIndex1796502810000,
  AddCustomerWroteAt1796502900000,
  AddCustomerWaitsIndex1796503000000,
  AddSenderEmail1796503100000,
];
